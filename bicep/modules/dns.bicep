// Name resolution inside the VNet for the internal Container Apps environment: a private DNS zone for the
// environment's domain with a wildcard record to its internal load balancer, linked to the VNet. Without it, the
// silo app's address (TABLESTORE_GATEWAY) resolves nowhere outside the environment itself.

@description('Tags for every resource.')
param tags object

@description('The environment\'s default domain (the zone name).')
param defaultDomain string

@description('The environment\'s internal load balancer address.')
param staticIp string

@description('Name of the virtual network to link (same resource group).')
param vnetName string

resource vnet 'Microsoft.Network/virtualNetworks@2025-05-01' existing = {
  name: vnetName
}

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: defaultDomain
  location: 'global'
  tags: tags
}

resource wildcard 'Microsoft.Network/privateDnsZones/A@2024-06-01' = {
  parent: zone
  name: '*'
  properties: {
    ttl: 300
    aRecords: [
      {
        ipv4Address: staticIp
      }
    ]
  }
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'link-${vnetName}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output zoneName string = zone.name
