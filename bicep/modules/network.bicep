// The virtual network the Container Apps environment runs in. TCP ingress (the Orleans gateway) needs an environment
// on a custom VNet; a workload-profile environment needs an infrastructure subnet of /27 or larger, delegated to
// Microsoft.App/environments.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Virtual network name.')
param name string

@description('Address space of the virtual network.')
param addressPrefix string = '10.40.0.0/16'

@description('Infrastructure subnet of the Container Apps environment (/27 or larger).')
param infrastructureSubnetPrefix string = '10.40.0.0/23'

var infrastructureSubnetName = 'snet-container-apps'

resource vnet 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: infrastructureSubnetName
        properties: {
          addressPrefix: infrastructureSubnetPrefix
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

output name string = vnet.name
output infrastructureSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, infrastructureSubnetName)
