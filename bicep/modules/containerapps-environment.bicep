// The Container Apps environment: on the VNet's infrastructure subnet, workload-profile kind (Consumption profile).
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
