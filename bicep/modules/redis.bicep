// Azure Managed Redis (the successor of Azure Cache for Redis): the Orleans cluster membership table. TLS only, on
// port 10000; access keys off: the silos sign in with Entra ID tokens of their identity (TableStore__RedisAuthentication
// =entra), which gets the database's default access policy here. Non-clustered (EnterpriseCluster policy): Orleans
// keeps the table under one key. Public network access stays enabled: the environment reaches the cache over its
// outbound path; a private endpoint with its DNS zone is the next hardening step.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Cache name.')
param name string

@description('Name of the silo identity (same resource group).')
param identityName string

@description('Cache size: Balanced_B0 is the smallest (0.5 GB).')
param skuName string = 'Balanced_B0'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource cache 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cache
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Disabled'
  }
}

resource siloAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = {
  parent: database
  name: 'silo'
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: identity.properties.principalId
    }
  }
}

output name string = cache.name
output hostName string = cache.properties.hostName
output port int = database.properties.port
