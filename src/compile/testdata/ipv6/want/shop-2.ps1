# Bulkhead ruleset for workload shop-2, mode enforce. Generated: do not edit.
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
$names = @('Bulkhead-In-lab-to-app-1', 'Bulkhead-In-lab-to-app-2', 'Bulkhead-In-app-peers-1', 'Bulkhead-In-one-host-1', 'Bulkhead-Out-app-peers-1')
Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |
  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule
function Set-BulkheadRule([hashtable]$Rule) {
  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null
}
Set-BulkheadRule @{ Name = 'Bulkhead-In-lab-to-app-1'; DisplayName = 'Bulkhead lab-to-app (inbound)'; Description = 'lab-to-app'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443'; RemoteAddress = @('198.18.100.0/24', '2001:db8:100::-2001:db8:100:fe:ffff:ffff:ffff:ffff', '2001:db8:100:100::-2001:db8:100:ffff:ffff:ffff:ffff:ffff') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-lab-to-app-2'; DisplayName = 'Bulkhead lab-to-app (inbound)'; Description = 'lab-to-app'; Direction = 'Inbound'; Protocol = 'UDP'; LocalPort = '443'; RemoteAddress = @('198.18.100.0/24', '2001:db8:100::-2001:db8:100:fe:ffff:ffff:ffff:ffff', '2001:db8:100:100::-2001:db8:100:ffff:ffff:ffff:ffff:ffff') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-app-peers-1'; DisplayName = 'Bulkhead app-peers (inbound)'; Description = 'app-peers'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '7000-7010'; RemoteAddress = @('198.18.7.1', '2001:db8:7::1-2001:db8:7::2') }
Set-BulkheadRule @{ Name = 'Bulkhead-In-one-host-1'; DisplayName = 'Bulkhead one-host (inbound)'; Description = 'one-host'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '22'; RemoteAddress = @('2001:db8:200::1-2001:db8:200::2') }
Set-BulkheadRule @{ Name = 'Bulkhead-Out-app-peers-1'; DisplayName = 'Bulkhead app-peers (outbound)'; Description = 'app-peers'; Direction = 'Outbound'; Protocol = 'TCP'; RemotePort = '7000-7010'; RemoteAddress = @('198.18.7.1', '2001:db8:7::1-2001:db8:7::2') }
Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block -LogBlocked True
