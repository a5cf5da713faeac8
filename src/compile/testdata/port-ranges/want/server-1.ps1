# Bulkhead ruleset for workload server-1, mode enforce. Generated: do not edit.
#
# Windows Defender Firewall has no ordered tiers and a block rule always wins over an
# allow rule, so this script holds allow rules only: the flows the policy allows after
# its tiers, pass and deny rules are resolved. The default deny is the profiles
# default action (Block in mode enforce; test and observe modes cannot log a
# would-deny here, so they allow by default and log allowed connections instead).
# The firewall is stateful: replies to an allowed connection are allowed.
# Idempotent: rules of the group are replaced by name, stale ones removed.
$ErrorActionPreference = 'Stop'
$group = 'Bulkhead'
$names = @('Bulkhead-In-rpc-1', 'Bulkhead-In-rpc-2', 'Bulkhead-In-adjacent-1', 'Bulkhead-In-dns-1', 'Bulkhead-In-dns-2', 'Bulkhead-In-sctp-all-1', 'Bulkhead-In-gre-1', 'Bulkhead-Out-dns-1', 'Bulkhead-Out-dns-2')
Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |
  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule
function Set-BulkheadRule([hashtable]$Rule) {
  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null
}
Set-BulkheadRule @{ Name = 'Bulkhead-In-rpc-1'; DisplayName = 'Bulkhead rpc (inbound)'; Description = 'rpc'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '135'; RemoteAddress = @('198.18.4.1-198.18.4.3') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-rpc-2'; DisplayName = 'Bulkhead rpc (inbound)'; Description = 'rpc'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '49152-65535'; RemoteAddress = @('198.18.4.1-198.18.4.3') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-adjacent-1'; DisplayName = 'Bulkhead adjacent (inbound)'; Description = 'adjacent'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '8000-8099'; RemoteAddress = @('198.18.4.1-198.18.4.3') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-dns-1'; DisplayName = 'Bulkhead dns (inbound)'; Description = 'dns'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '53'; RemoteAddress = @('0.0.0.0/0', '::/0') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-dns-2'; DisplayName = 'Bulkhead dns (inbound)'; Description = 'dns'; Direction = 'Inbound'; Protocol = 'UDP'; LocalPort = '53'; RemoteAddress = @('0.0.0.0/0', '::/0') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-sctp-all-1'; DisplayName = 'Bulkhead sctp-all (inbound)'; Description = 'sctp-all'; Direction = 'Inbound'; Protocol = '132'; RemoteAddress = @('198.18.4.1-198.18.4.3') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-gre-1'; DisplayName = 'Bulkhead gre (inbound)'; Description = 'gre'; Direction = 'Inbound'; Protocol = '47'; RemoteAddress = @('198.18.4.1-198.18.4.3') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-dns-1'; DisplayName = 'Bulkhead dns (outbound)'; Description = 'dns'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '53'; RemoteAddress = @('198.18.5.1') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-dns-2'; DisplayName = 'Bulkhead dns (outbound)'; Description = 'dns'; Direction = 'Outbound'; Protocol = 'UDP'; RemotePort = '53'; RemoteAddress = @('198.18.5.1') }
Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block -LogBlocked True
