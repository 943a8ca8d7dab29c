using System.Net;
using StackExchange.Redis.Configuration;

namespace TableStore.Server.Clustering;

/// <summary>
/// The user and password StackExchange.Redis signs in with on every new connection: the identity's object id and
/// its current Entra ID access token. Read by the client at each (re)connect, so a reconnect after the first token
/// expired uses the fresh one.
/// </summary>
internal sealed class EntraRedisCredentials : DefaultOptionsProvider
{
    private volatile Snapshot _current;

    public EntraRedisCredentials(string user, string token) => _current = new Snapshot(user, token);

    private sealed record Snapshot(string User, string Token);

    public void Update(string user, string token) => _current = new Snapshot(user, token);

    public override bool IsMatch(EndPoint endpoint) => true;

    public override string User => _current.User;

    public override string Password => _current.Token;
}
