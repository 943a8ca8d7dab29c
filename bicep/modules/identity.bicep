// The user-assigned managed identity of the silos: pulls the image, reads and writes the warehouse, sends and
// receives change events. The silo finds it through AZURE_CLIENT_ID (DefaultAzureCredential).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Identity name.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output name string = identity.name
output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
