# Bulkhead ruleset for workload dev-1, mode observe. Generated: do not edit.
#
# Windows Defender Firewall has no ordered tiers and a block rule always wins over an
# allow rule, so this script holds allow rules only: the flows the policy allows after
# its tiers, pass and deny rules are resolved. The default deny is the profiles
# default action (Allow in mode observe; test and observe modes cannot log a
# would-deny here, so they allow by default and log allowed connections instead).
# The firewall is stateful: replies to an allowed connection are allowed.
# Idempotent: rules of the group are replaced by name, stale ones removed.
$ErrorActionPreference = 'Stop'
$group = 'Bulkhead'
$names = @('Bulkhead-In-web-1', 'Bulkhead-In-web-2', 'Bulkhead-Out-web-1', 'Bulkhead-Out-web-2')
Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |
  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule
function Set-BulkheadRule([hashtable]$Rule) {
  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null
}
Set-BulkheadRule @{ Name = 'Bulkhead-In-web-1'; DisplayName = 'Bulkhead web (inbound)'; Description = 'web'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '80'; RemoteAddress = @('0.0.0.0/0', '::/0') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-web-2'; DisplayName = 'Bulkhead web (inbound)'; Description = 'web'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443'; RemoteAddress = @('0.0.0.0/0', '::/0') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-web-1'; DisplayName = 'Bulkhead web (outbound)'; Description = 'web'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '80'; RemoteAddress = @('198.18.9.1') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-web-2'; DisplayName = 'Bulkhead web (outbound)'; Description = 'web'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '443'; RemoteAddress = @('198.18.9.1') }
Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction Allow -DefaultOutboundAction Allow -LogAllowed True
