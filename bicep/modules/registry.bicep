// The container registry azd pushes the silo image to. No admin user: the silo's managed identity pulls with AcrPull
// (granted in silo.bicep), and azd pushes with the signed-in user's Entra ID token.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Registry name (5-50 letters and digits).')
param name string

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
