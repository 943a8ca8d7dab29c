// TableStore on Azure Container Apps: entry point for `azd provision` (azure.yaml: infra.path bicep, module main).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Silo image set by azd deploy (SERVICE_SILO_IMAGE_NAME); empty on the first provision.')
param siloImageName string = ''

@description('Serve the Orleans Dashboard on port 8080 at /dashboard (TableStore__Dashboard).')
param dashboardEnabled bool = false

@description('Fewest silos: 2 or more, so that one silo can fail or restart while the cluster keeps serving.')
@minValue(2)
param siloMinReplicas int = 2

@description('Most silos the CPU rule scales out to.')
@minValue(2)
param siloMaxReplicas int = 10

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
// Names are known before deployment (not read from module outputs) wherever a module uses them to name or find a
// resource: role assignment names and `existing` references then resolve at compile time, and what-if is exact.
var identityName = 'id-silo-${resourceToken}'
var vnetName = 'vnet-${resourceToken}'
var registryName = 'cr${resourceToken}'
var logAnalyticsName = 'log-${resourceToken}'
var redisName = 'redis-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    location: location
    tags: tags
    name: vnetName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    location: location
    tags: tags
    name: registryName
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: identityName
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    containerName: 'warehouse'
    identityName: identityName
  }
  dependsOn: [identity]
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'evhns-${resourceToken}'
    eventHubName: 'tablestore-changes'
    identityName: identityName
  }
  dependsOn: [identity]
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  scope: rg
  params: {
    location: location
    tags: tags
    name: redisName
    identityName: identityName
  }
  dependsOn: [identity]
}

module environment 'modules/containerapps-environment.bicep' = {
  name: 'containerapps-environment'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'cae-${resourceToken}'
    infrastructureSubnetId: network.outputs.infrastructureSubnetId
    logAnalyticsName: logAnalyticsName
  }
  dependsOn: [monitoring]
}

module dns 'modules/dns.bicep' = {
  name: 'dns'
  scope: rg
  params: {
    tags: tags
    // Azure picks the environment's domain when it creates it: what-if cannot know this zone's name beforehand.
    #disable-next-line what-if-short-circuiting
    defaultDomain: environment.outputs.defaultDomain
    staticIp: environment.outputs.staticIp
    vnetName: vnetName
  }
}

module silo 'modules/silo.bicep' = {
  name: 'silo'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'ca-silo-${resourceToken}'
    environmentId: environment.outputs.id
    imageName: siloImageName
    registryName: registryName
    identityName: identityName
    storageAccountName: storage.outputs.name
    warehouseContainerName: storage.outputs.containerName
    eventHubsNamespaceName: eventHubs.outputs.name
    changesTopic: eventHubs.outputs.eventHubName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    redisConnectionString: '${redis.outputs.hostName}:${redis.outputs.port},ssl=True,abortConnect=False'
    dashboardEnabled: dashboardEnabled
    workloadProfileName: environment.outputs.siloWorkloadProfileName
    minReplicas: siloMinReplicas
    maxReplicas: max(siloMinReplicas, siloMaxReplicas)
  }
  dependsOn: [registry, identity]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = environment.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output TABLESTORE_WAREHOUSE string = 'az://${storage.outputs.name}/${storage.outputs.containerName}'
output TABLESTORE_GATEWAY string = silo.outputs.gateway
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.outputs.name
output KAFKA_BOOTSTRAP_SERVERS string = eventHubs.outputs.kafkaBootstrapServers
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output SERVICE_SILO_NAME string = silo.outputs.name
