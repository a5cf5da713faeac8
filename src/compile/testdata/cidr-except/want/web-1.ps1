# Bulkhead ruleset for workload web-1, mode enforce. Generated: do not edit.
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
$names = @('Bulkhead-In-web-ingress-1', 'Bulkhead-Out-to-partner-1')
Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |
  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule
function Set-BulkheadRule([hashtable]$Rule) {
  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null
}
Set-BulkheadRule @{ Name = 'Bulkhead-In-web-ingress-1'; DisplayName = 'Bulkhead web-ingress (inbound)'; Description = 'web-ingress'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443'; RemoteAddress = @('0.0.0.0-9.255.255.255', '11.0.0.0-172.15.255.255', '172.32.0.0-192.167.255.255', '192.169.0.0-198.17.255.255', '198.20.0.0-203.0.112.255', '203.0.114.0-255.255.255.255', '::-fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::/7') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-to-partner-1'; DisplayName = 'Bulkhead to-partner (outbound)'; Description = 'to-partner'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '443'; RemoteAddress = @('198.18.64.0-198.18.69.255', '198.18.70.128-198.18.79.255') }
Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block -LogBlocked True
