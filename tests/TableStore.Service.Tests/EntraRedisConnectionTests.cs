using System.Text;
using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TableStore.Server;
using TableStore.Server.Clustering;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// Entra ID sign-in to Redis, against a real redis-server whose ACL plays Azure's part: each token the credential
/// issues becomes a password of the user named by the token's oid claim, and old tokens are revoked.
/// </summary>
public sealed class EntraRedisConnectionTests
{
    private const string ObjectId = "6f1c2b7e-0000-4000-8000-000000000001";

    [Fact]
    public async Task Keeps_its_connection_signed_in_across_token_refreshes_and_reconnects_with_the_newest_token()
    {
        await using var cluster = new ProcessCluster();
        await cluster.StartRedisAsync();
        await using (var setup = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{cluster.RedisPort}"))
        {
            var server = setup.GetServer($"127.0.0.1:{cluster.RedisPort}");
            await server.ExecuteAsync("ACL", "SETUSER", "admin", "on", ">admin-secret", "~*", "&*", "+@all");
            await server.ExecuteAsync("ACL", "SETUSER", ObjectId, "on", "~*", "&*", "+@all"); // no password until a token is issued
            await server.ExecuteAsync("ACL", "SETUSER", "default", "off"); // nobody gets in without signing in
        }
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{cluster.RedisPort},user=admin,password=admin-secret");
        var issuer = new TokenIssuer(admin.GetServer($"127.0.0.1:{cluster.RedisPort}"), TimeSpan.FromSeconds(2));

        await using var entra = new EntraRedisConnection(issuer, NullLogger.Instance);
        var redis = await entra.ConnectAsync(ConfigurationOptions.Parse($"127.0.0.1:{cluster.RedisPort},abortConnect=false"));
        await redis.GetDatabase().StringSetAsync("k", "v1");
        long signIns = await AuthCallsAsync(admin);

        // Tokens expire every 2 s; the connection fetches new ones and signs in again with each, on the open connection
        // (redis-server keeps connections whose password was revoked, so the AUTH count is what shows it).
        await EventuallyAsync(() => entra.Refreshes >= 2);
        Assert.True(await AuthCallsAsync(admin) >= signIns + 2, "the open connection was not signed in again");
        Assert.Equal("v1", (string?)await redis.GetDatabase().StringGetAsync("k"));

        // Revoke every token but the newest and drop the connections: the reconnect signs in with the newest.
        await issuer.RevokeAllButNewestAsync();
        await admin.GetServer($"127.0.0.1:{cluster.RedisPort}").ExecuteAsync("CLIENT", "KILL", "USER", ObjectId);
        await EventuallyAsync(async () =>
        {
            try { return (string?)await redis.GetDatabase().StringGetAsync("k") == "v1"; }
            catch (RedisException) { return false; }
        });
    }

    [Fact]
    public void The_user_name_is_the_tokens_object_id_and_a_token_without_one_is_refused_with_a_reason()
    {
        Assert.Equal(ObjectId, EntraRedisConnection.ObjectIdOf(Jwt(ObjectId, "x")));
        Assert.Contains("no oid claim", Assert.Throws<InvalidOperationException>(() => EntraRedisConnection.ObjectIdOf(Jwt(null, "x"))).Message);
        Assert.Contains("not a JWT", Assert.Throws<InvalidOperationException>(() => EntraRedisConnection.ObjectIdOf("opaque")).Message);
    }

    [Fact]
    public void Entra_sign_in_with_a_password_in_the_connection_string_is_a_setting_error()
    {
        var options = new ServerOptions { Clustering = "redis", Redis = "cache:10000,password=secret,ssl=true", RedisAuthentication = "entra" };
        Assert.Contains("remove the password from TableStore__Redis", Assert.Throws<InvalidOperationException>(options.Validate).Message);
        Assert.Contains("RedisAuthentication must be 'key' or 'entra'", Assert.Throws<InvalidOperationException>(
            new ServerOptions { RedisAuthentication = "aad" }.Validate).Message);
    }

    /// <summary>AUTH commands the server has run (INFO commandstats, cmdstat_auth:calls=N).</summary>
    private static async Task<long> AuthCallsAsync(IConnectionMultiplexer admin)
    {
        var info = (string)(await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("INFO", "commandstats"))!;
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_auth:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Jwt(string? oid, string nonce)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("{\"alg\":\"none\"}")}.{Part(oid is null ? $"{{\"n\":\"{nonce}\"}}" : $"{{\"oid\":\"{oid}\",\"n\":\"{nonce}\"}}")}.sig";
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !await condition(); await Task.Delay(100))
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 60 s");
    }

    private static Task EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    /// <summary>Issues short-lived tokens and, as Azure would, makes each one a valid password for the identity.</summary>
    private sealed class TokenIssuer(IServer admin, TimeSpan lifetime) : TokenCredential
    {
        private readonly List<string> _issued = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal([EntraRedisConnection.Scope], requestContext.Scopes);
            var token = Jwt(ObjectId, Guid.NewGuid().ToString("N"));
            await admin.ExecuteAsync("ACL", "SETUSER", ObjectId, ">" + token);
            lock (_issued) _issued.Add(token);
            return new AccessToken(token, DateTimeOffset.UtcNow + lifetime);
        }

        public async Task RevokeAllButNewestAsync()
        {
            List<string> old;
            lock (_issued) old = _issued[..^1];
            foreach (var token in old) await admin.ExecuteAsync("ACL", "SETUSER", ObjectId, "<" + token);
        }
    }
}
