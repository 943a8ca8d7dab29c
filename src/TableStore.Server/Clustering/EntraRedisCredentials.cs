using StackExchange.Redis;
using StackExchange.Redis.Configuration;

namespace TableStore.Server.Clustering;

/// <summary>
/// The user and password StackExchange.Redis signs in with on every new connection: the identity's object id and
/// its current Entra ID access token, read at each (re)connect, so a reconnect after the first token expired uses
/// the fresh one. The client picks defaults per host (Azure Managed Redis and Azure Cache for Redis: TLS, their
/// server version, maintenance events); the credentials extend whichever provider it picked, so those stay.
/// </summary>
internal sealed class EntraRedisCredentials
{
    private volatile Snapshot _current;

    public EntraRedisCredentials(string user, string token) => _current = new Snapshot(user, token);

    private sealed record Snapshot(string User, string Token);

    public string User => _current.User;

    public string Token => _current.Token;

    public void Update(string user, string token) => _current = new Snapshot(user, token);

    /// <summary>The provider <paramref name="options"/> would use, extended with these credentials.</summary>
    public DefaultOptionsProvider ProviderFor(ConfigurationOptions options) => options.Defaults switch
    {
        AzureManagedRedisOptionsProvider => new ForAzureManagedRedis(this),
        AzureOptionsProvider => new ForAzureCache(this),
        _ => new ForAnyRedis(this),
    };

    private sealed class ForAzureManagedRedis(EntraRedisCredentials credentials) : AzureManagedRedisOptionsProvider
    {
        public override string User => credentials.User;
        public override string Password => credentials.Token;
    }

    private sealed class ForAzureCache(EntraRedisCredentials credentials) : AzureOptionsProvider
    {
        public override string User => credentials.User;
        public override string Password => credentials.Token;
    }

    private sealed class ForAnyRedis(EntraRedisCredentials credentials) : DefaultOptionsProvider
    {
        public override string User => credentials.User;
        public override string Password => credentials.Token;
    }
}
