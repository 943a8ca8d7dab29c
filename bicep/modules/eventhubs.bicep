// Event Hubs, used through its Kafka endpoint (port 9093; Standard tier and up) for the change stream. Entra ID only
// (disableLocalAuth): the silo identity sends and receives with OAUTHBEARER tokens.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Namespace name (6-50 characters).')
param name string

@description('Event hub (Kafka topic) for table changes.')
param eventHubName string = 'tablestore-changes'

@description('Partitions of the change topic.')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Name of the silo identity (same resource group).')
param identityName string

// Azure Event Hubs Data Sender, Azure Event Hubs Data Receiver
var dataSenderRoleId = '2b629674-e913-4c01-ae53-ef4638d8f975'
var dataReceiverRoleId = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: 1
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: false
  }
}

resource changes 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: 1
  }
}

resource dataSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: namespace
  name: guid(namespace.id, identity.id, dataSenderRoleId)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSenderRoleId)
  }
}

resource dataReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: namespace
  name: guid(namespace.id, identity.id, dataReceiverRoleId)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiverRoleId)
  }
}

output name string = namespace.name
output eventHubName string = changes.name
output kafkaBootstrapServers string = '${namespace.name}.servicebus.windows.net:9093'
