# Bulkhead ruleset for workload mon-1, mode enforce. Generated: do not edit.
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
$names = @('Bulkhead-In-scrape-1', 'Bulkhead-Out-scrape-1')
Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |
  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule
function Set-BulkheadRule([hashtable]$Rule) {
  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null
}
Set-BulkheadRule @{ Name = 'Bulkhead-In-scrape-1'; DisplayName = 'Bulkhead scrape (inbound)'; Description = 'scrape'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '9100'; RemoteAddress = @('198.18.3.10') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-scrape-1'; DisplayName = 'Bulkhead scrape (outbound)'; Description = 'scrape'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '9100'; RemoteAddress = @('0.0.0.0/0', '::/0') }
Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block -LogBlocked True
