using Azure.Core;
using Azure.Identity;
using Confluent.Kafka;

namespace TableStore.Streaming.Kafka.Providers;

/// <summary>
/// Builds producers, consumers and admin clients from <see cref="KafkaStreamOptions"/>: the connection and security
/// settings in one place, and for <c>OAuthBearer</c> a token refresher over Azure.Identity (Event Hubs with a
/// managed identity), so every client the provider makes signs in the same way.
/// </summary>
internal sealed class KafkaClients(KafkaStreamOptions options)
{
    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential());

    public KafkaStreamOptions Options => options;

    public IProducer<byte[], byte[]> CreateProducer(string clientId) =>
        WithToken(new ProducerBuilder<byte[], byte[]>(Configure(new ProducerConfig
        {
            ClientId = clientId,
            Acks = Acks.All,
            MessageMaxBytes = Math.Max(options.MaxMessageBytes + 64 * 1024, 1_000_000), // room for the record's own framing
            MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
            LingerMs = 2,
        })), (b, h) => b.SetOAuthBearerTokenRefreshHandler(h)).Build();

    /// <summary>A consumer of the silos' group, or of <paramref name="groupId"/> (a reader that commits nothing), that starts where <paramref name="reset"/> says when it has no valid offset.</summary>
    public IConsumer<byte[], byte[]> CreateConsumer(string clientId, string? groupId = null, AutoOffsetReset? reset = null) =>
        WithToken(new ConsumerBuilder<byte[], byte[]>(Configure(new ConsumerConfig
        {
            ClientId = clientId,
            GroupId = groupId ?? options.ConsumerGroup,
            // Offsets are committed by the receiver once messages are delivered, never by librdkafka on its own.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = reset ?? (options.StartFromEarliest ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest),
            // Partitions are assigned by Orleans' queue balancer, not by a group rebalance; the group only keeps offsets.
            EnablePartitionEof = false,
            // How long a broker may hold a fetch when the partition has nothing new: the delay a quiet partition adds
            // to the next message (librdkafka's default, 500 ms, would dominate change delivery).
            FetchWaitMaxMs = (int)options.MaxFetchWait.TotalMilliseconds,
        })), (b, h) => b.SetOAuthBearerTokenRefreshHandler(h)).Build();

    /// <summary>
    /// An admin client on the producer's connection: its metadata requests are a producer's, which brokers that allow
    /// it answer by creating a missing topic (the mock cluster does; a bare admin client's requests would not).
    /// </summary>
    public static IAdminClient CreateAdminClient(IProducer<byte[], byte[]> producer) => new DependentAdminClientBuilder(producer.Handle).Build();

    private T Configure<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = options.BootstrapServers;
        config.SecurityProtocol = options.SecurityProtocol;
        if (options.ConnectionString is { Length: > 0 } connection)
        {
            config.SecurityProtocol = SecurityProtocol.SaslSsl;
            config.SaslMechanism = SaslMechanism.Plain;
            config.SaslUsername = "$ConnectionString";
            config.SaslPassword = connection;
        }
        else if (options.SaslMechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism;
            config.SaslUsername = options.SaslUsername;
            config.SaslPassword = options.SaslPassword;
        }
        if (options.SslCaLocation is { Length: > 0 } ca) config.SslCaLocation = ca;
        foreach (var (key, value) in options.Settings) config.Set(key, value);
        return config;
    }

    private TBuilder WithToken<TBuilder>(TBuilder builder, Func<TBuilder, Action<IClient, string>, TBuilder> setHandler) =>
        options.SaslMechanism == SaslMechanism.OAuthBearer && options.ConnectionString is null ? setHandler(builder, RefreshToken) : builder;

    /// <summary>librdkafka asks for a token before it connects and again before the last one expires.</summary>
    private void RefreshToken(IClient client, string config)
    {
        try
        {
            var token = _credential.Value.GetToken(new TokenRequestContext([Scope()]), CancellationToken.None);
            client.OAuthBearerSetToken(token.Token, token.ExpiresOn.ToUnixTimeMilliseconds(), "tablestore");
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException or Azure.RequestFailedException)
        {
            client.OAuthBearerSetTokenFailure($"No token for {Scope()}: {e.Message}");
        }
    }

    private string Scope()
    {
        if (options.OAuthScope is { Length: > 0 } scope) return scope;
        var first = options.BootstrapServers.Split(',')[0].Trim();
        return $"https://{first[..first.LastIndexOf(':')]}/.default";
    }
}
