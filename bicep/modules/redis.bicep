// Azure Cache for Redis: the Orleans cluster membership table. TLS only (port 6380).
// Public network access stays enabled: the Container Apps environment reaches the cache over its outbound path, and
// a private endpoint (plus a private DNS zone) is the next hardening step, not part of this template. Access needs
// the access key, which never leaves the deployment except as a container app secret (see main.bicep).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Cache name.')
param name string

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'Basic'
      family: 'C'
      capacity: 0
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

output name string = redis.name
output hostName string = redis.properties.hostName
output sslPort int = redis.properties.sslPort
