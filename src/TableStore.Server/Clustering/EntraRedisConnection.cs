using System.Text;
using System.Text.Json;
using Azure.Core;
using StackExchange.Redis;

namespace TableStore.Server.Clustering;

/// <summary>
/// Connects to Redis (Azure Managed Redis, Azure Cache for Redis) with a Microsoft Entra ID token instead of an access
/// key, and keeps the connection signed in: before each token expires it fetches the next one and sends
/// <c>AUTH &lt;object id&gt; &lt;token&gt;</c> on every open connection (the server drops connections whose token
/// expired), and reconnects use the newest token. The user name is the token's <c>oid</c> claim, the identity's
/// object id, as Azure's Redis access policies expect.
/// </summary>
public sealed class EntraRedisConnection : IAsyncDisposable
{
    /// <summary>The scope of tokens for Azure's Redis services.</summary>
    public const string Scope = "https://redis.azure.com/.default";

    private readonly TokenCredential _credential;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _connect = new(1, 1);
    private Task? _refresh;

    public EntraRedisConnection(TokenCredential credential, ILogger log, TimeProvider? time = null)
    {
        _credential = credential;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The connection, once <see cref="ConnectAsync"/> returned.</summary>
    public IConnectionMultiplexer? Multiplexer { get; private set; }

    /// <summary>Tokens fetched after the first one (for tests and diagnostics).</summary>
    public int Refreshes { get; private set; }

    /// <summary>
    /// Connects with a first token and starts keeping the connection signed in; later calls return the same
    /// connection, which this object owns (it is closed on dispose).
    /// </summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, CancellationToken ct = default)
    {
        await _connect.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Multiplexer ??= await OpenAsync(options, ct).ConfigureAwait(false);
        }
        finally
        {
            _connect.Release();
        }
    }

    private async Task<IConnectionMultiplexer> OpenAsync(ConfigurationOptions options, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.Password))
            throw new InvalidOperationException("The Redis connection string has a password; Entra ID sign-in takes none (remove it, or use key sign-in).");
        var token = await GetTokenAsync(ct).ConfigureAwait(false);
        var credentials = new EntraRedisCredentials(ObjectIdOf(token.Token), token.Token);
        var signedIn = options.Clone();
        signedIn.Defaults = credentials.ProviderFor(options);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(signedIn).ConfigureAwait(false);
        _refresh = KeepSignedInAsync(multiplexer, credentials, token);
        return multiplexer;
    }

    private async Task KeepSignedInAsync(ConnectionMultiplexer multiplexer, EntraRedisCredentials credentials, AccessToken token)
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshDelay(token), _time, ct).ConfigureAwait(false);
                token = await GetTokenAsync(ct).ConfigureAwait(false);
                var user = ObjectIdOf(token.Token);
                credentials.Update(user, token.Token);
                foreach (var server in multiplexer.GetServers())
                    if (server.IsConnected) await server.ExecuteAsync("AUTH", user, token.Token).ConfigureAwait(false);
                Refreshes++;
                _log.RedisTokenRefreshed(token.ExpiresOn);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Keep the old token until it expires; a reconnect after that fails until a refresh succeeds.
                _log.RedisTokenRefreshFailed(e);
                token = new AccessToken(token.Token, _time.GetUtcNow() + TimeSpan.FromSeconds(30) + Margin(TimeSpan.FromSeconds(30)));
            }
        }
    }

    /// <summary>
    /// Refresh when most of a token's life is used up: 5 minutes before it expires, or at 80 % for short-lived ones;
    /// never sooner than a second from now, so a credential that hands out nearly expired tokens is not asked in a loop.
    /// </summary>
    private TimeSpan RefreshDelay(AccessToken token)
    {
        var left = token.ExpiresOn - _time.GetUtcNow();
        var wait = left - Margin(left);
        return wait > MinimumRefreshDelay ? wait : MinimumRefreshDelay;
    }

    private static readonly TimeSpan MinimumRefreshDelay = TimeSpan.FromSeconds(1);

    private static TimeSpan Margin(TimeSpan lifetime) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 5));

    private async Task<AccessToken> GetTokenAsync(CancellationToken ct)
    {
        try
        {
            return await _credential.GetTokenAsync(new TokenRequestContext([Scope]), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Cannot get an Entra ID token for Redis ({Scope}): {e.Message} On Azure, set AZURE_CLIENT_ID to the silo identity's client id and give that identity a Redis access policy.", e);
        }
    }

    /// <summary>The <c>oid</c> claim of a JWT access token: the user name Azure's Redis expects.</summary>
    public static string ObjectIdOf(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) throw new InvalidOperationException("The Entra ID token is not a JWT; cannot read its object id.");
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return doc.RootElement.TryGetProperty("oid", out var oid) && oid.GetString() is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException("The Entra ID token has no oid claim; cannot sign in to Redis.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_refresh is not null) await _refresh.ConfigureAwait(false);
        if (Multiplexer is not null) await Multiplexer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _connect.Dispose();
    }
}
