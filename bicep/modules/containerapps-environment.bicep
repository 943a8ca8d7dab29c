// The Container Apps environment: on the VNet's infrastructure subnet, with workload profiles: Consumption, and a
// Dedicated profile for the silos (replica-to-replica TCP, which Orleans needs, is reliable only there: silo.bicep).
// internal: true gives the environment an internal load balancer only (no public IP): every app port is reachable
// only from inside the VNet; the silo's own ingress is additionally limited to the environment (external: false).
// Logs go to Log Analytics; that needs the workspace shared key (the only way appLogsConfiguration takes it).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Environment name.')
param name string

@description('Resource id of the infrastructure subnet (delegated to Microsoft.App/environments).')
param infrastructureSubnetId string

@description('Name of the Log Analytics workspace (same resource group).')
param logAnalyticsName string

@description('Machine size of the silos\' Dedicated workload profile (D4: 4 vCPU, 16 GiB per node).')
param siloProfileType string = 'D4'

@description('Fewest nodes of the silos\' profile; each node holds several 1-vCPU silos.')
@minValue(1)
param siloProfileMinNodes int = 1

@description('Most nodes of the silos\' profile (the silo CPU rule adds replicas, the profile adds nodes for them): 4 D4 nodes hold the 10 silos siloMaxReplicas allows by default.')
@maxValue(100)
param siloProfileMaxNodes int = 4

var siloProfileName = 'silos'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' existing = {
  name: logAnalyticsName
}

resource environment 'Microsoft.App/managedEnvironments@2026-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      internal: true
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: siloProfileName
        workloadProfileType: siloProfileType
        minimumCount: siloProfileMinNodes
        maximumCount: max(siloProfileMinNodes, siloProfileMaxNodes)
      }
    ]
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    zoneRedundant: false
  }
}

output name string = environment.name
output id string = environment.id
output defaultDomain string = environment.properties.defaultDomain
output staticIp string = environment.properties.staticIp
output siloWorkloadProfileName string = siloProfileName
