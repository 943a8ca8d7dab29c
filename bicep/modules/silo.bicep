// The Orleans silos as one container app (tag azd-service-name: silo, which azd deploys to).
// Ports: 30000 Orleans gateway and 8080 HTTP (health, dashboard) through the app's internal TCP ingress; 11111
// silo-to-silo goes from replica to replica directly (Orleans needs one particular silo, not a load-balanced one),
// which is why the silos run on a Dedicated workload profile: on the Consumption profile of a workload-profiles
// environment replicas see link-local addresses, and Orleans calls between them fail about half the time
// (github.com/microsoft/azure-container-apps/issues/1119). Scaling: at least 2 replicas (a single silo is no
// cluster: no failover), CPU rule at 70 %.
//
// Before azd has pushed an image (the first provision) the app runs no replica at all: no placeholder image could
// answer the silo's ports and probes. azure.yaml's up workflow provisions again after the first deploy.

@description('Azure region.')
param location string

@description('Tags for every resource (the azd-service-name tag is added here).')
param tags object

@description('Container app name (at most 32 characters).')
param name string

@description('Resource id of the Container Apps environment.')
param environmentId string

@description('Image to run; empty before the first azd deploy (the app then has no replica and no ingress).')
param imageName string = ''

@description('Name of the container registry (same resource group).')
param registryName string

@description('Name of the silo identity (same resource group).')
param identityName string

@description('Storage account of the warehouse.')
param storageAccountName string

@description('Blob container of the warehouse.')
param warehouseContainerName string

@description('Event Hubs namespace (Kafka endpoint).')
param eventHubsNamespaceName string

@description('Event hub (Kafka topic) for table changes.')
param changesTopic string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Redis connection string for Orleans clustering (no password: the silos sign in with Entra ID tokens).')
param redisConnectionString string

@description('Serve the Orleans Dashboard on port 8080 at /dashboard.')
param dashboardEnabled bool = false

@description('Workload profile (Dedicated) the silos run on.')
param workloadProfileName string

@description('Fewest silos.')
@minValue(2)
param minReplicas int = 2

@description('Most silos.')
@minValue(2)
param maxReplicas int = 10

var siloPort = 11111
var gatewayPort = 30000
var httpPort = 8080
var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
var hasImage = !empty(imageName)
// The silo stops gracefully on SIGTERM: it commits the writes it accepted and leaves the cluster (up to 45 s).
var terminationGracePeriodSeconds = 60

// AcrPull
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: registryName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, identity.id, acrPullRoleId)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

// Startup allows the 5 minutes Orleans may take to join a cluster (stale members, a slow membership table); the
// readiness probe waits longer than the silo's own warehouse check (TableStore__ReadyTimeout, 2 s) so that a slow
// warehouse shows as the check's JSON reason, not as a probe timeout.
var healthProbes = [
  {
    type: 'Startup'
    httpGet: {
      path: '/health/live'
      port: httpPort
    }
    initialDelaySeconds: 5
    periodSeconds: 5
    failureThreshold: 60
    timeoutSeconds: 3
  }
  {
    type: 'Liveness'
    httpGet: {
      path: '/health/live'
      port: httpPort
    }
    periodSeconds: 10
    failureThreshold: 3
    timeoutSeconds: 3
  }
  {
    type: 'Readiness'
    httpGet: {
      path: '/health/ready'
      port: httpPort
    }
    periodSeconds: 10
    failureThreshold: 3
    timeoutSeconds: 5
  }
]

// Internal TCP ingress: the Orleans gateway (clients) and HTTP (health, dashboard), reachable inside the VNet only.
var ingress = {
  external: false
  transport: 'tcp'
  targetPort: gatewayPort
  exposedPort: gatewayPort
  additionalPortMappings: [
    {
      external: false
      targetPort: httpPort
      exposedPort: httpPort
    }
  ]
}

var scaleRules = [
  {
    name: 'cpu'
    custom: {
      type: 'cpu'
      metadata: {
        type: 'Utilization'
        value: '70'
      }
    }
  }
]

resource silo 'Microsoft.App/containerApps@2026-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'silo' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  dependsOn: [
    acrPull // the identity must be able to pull before the first revision starts
  ]
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: hasImage ? ingress : null
      registries: [
        {
          server: registry.properties.loginServer
          identity: identity.id
        }
      ]
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: 'silo'
          image: hasImage ? imageName : placeholderImage
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
          env: [
            { name: 'TableStore__Warehouse', value: 'az://${storageAccountName}/${warehouseContainerName}' }
            { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
            { name: 'TableStore__Clustering', value: 'redis' }
            { name: 'TableStore__Redis', value: redisConnectionString }
            { name: 'TableStore__RedisAuthentication', value: 'entra' }
            { name: 'TableStore__ListenOnAnyAddress', value: 'true' }
            { name: 'TableStore__ClusterId', value: 'tablestore' }
            { name: 'TableStore__ServiceId', value: 'tablestore' }
            { name: 'TableStore__SiloPort', value: string(siloPort) }
            { name: 'TableStore__GatewayPort', value: string(gatewayPort) }
            { name: 'TableStore__HttpPort', value: string(httpPort) }
            { name: 'TableStore__ReadyTimeout', value: '00:00:02' }
            { name: 'TableStore__Kafka__BootstrapServers', value: '${eventHubsNamespaceName}.servicebus.windows.net:9093' }
            { name: 'TableStore__Kafka__SecurityProtocol', value: 'SaslSsl' }
            { name: 'TableStore__Kafka__SaslMechanism', value: 'OAuthBearer' }
            { name: 'TableStore__Kafka__Topic', value: changesTopic }
            { name: 'TableStore__Dashboard', value: string(dashboardEnabled) }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
            { name: 'OTEL_SERVICE_NAME', value: 'tablestore-silo' }
          ]
          probes: hasImage ? healthProbes : []
        }
      ]
      scale: {
        minReplicas: hasImage ? minReplicas : 0
        maxReplicas: hasImage ? maxReplicas : 1
        rules: hasImage ? scaleRules : []
      }
    }
  }
}

output name string = silo.name
// Empty until the first image is deployed (no ingress before that).
output fqdn string = silo.properties.configuration.?ingress.?fqdn ?? ''
output gateway string = hasImage ? '${silo.properties.configuration.?ingress.?fqdn ?? ''}:${gatewayPort}' : ''
