export { AZURE_FORMAT, readAzureFlowLog } from './read.js';
export { isAzureFlowLog } from './sniff.js';
export { AzureConversations, MAX_OPEN_CONVERSATIONS } from './conversations.js';
export { parseAzureTuple } from './tuple.js';
export type { AzureFlowState, AzureTuple, AzureTupleLayout } from './tuple.js';
