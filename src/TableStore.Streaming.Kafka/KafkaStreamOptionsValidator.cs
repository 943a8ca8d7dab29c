using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans;
using Orleans.Runtime;

namespace TableStore.Streaming.Kafka;

/// <summary>Checks a Kafka stream provider's options when the host starts; an error names the option and the provider.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string name) : IConfigurationValidator
{
    /// <summary>The provider's named options, logged at start, and this validator for them: on silos and clients alike.</summary>
    internal static IServiceCollection AddFor(IServiceCollection services, string name) => services
        .ConfigureNamedOptionForLogging<KafkaStreamOptions>(name)
        .AddTransient<IConfigurationValidator>(sp => new KafkaStreamOptionsValidator(sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name), name));

    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            Fail(nameof(options.BootstrapServers), "is required: host:port[,host:port] of the Kafka brokers");
        foreach (var server in options.BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
        {
            int colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
                Fail(nameof(options.BootstrapServers), $"has '{server}', which is not host:port");
        }
        if (string.IsNullOrWhiteSpace(options.TopicName) || options.TopicName.Length > 249 || !options.TopicName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            Fail(nameof(options.Topic), $"gives the topic '{options.TopicName}': a Kafka topic name is 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
        if (options.Partitions is < 1 or > 10_000) Fail(nameof(options.Partitions), $"is {options.Partitions}; it must be 1 to 10000");
        if (string.IsNullOrWhiteSpace(options.ConsumerGroup)) Fail(nameof(options.ConsumerGroup), "is required: the consumer group that keeps the silos' checkpoints");
        if (options.CheckpointInterval <= TimeSpan.Zero) Fail(nameof(options.CheckpointInterval), $"is {options.CheckpointInterval}; it must be more than 0");
        if (options.MaxMessageBytes is < 1024 or > 100 << 20) Fail(nameof(options.MaxMessageBytes), $"is {options.MaxMessageBytes}; it must be 1 KiB to 100 MiB");
        if (options.MaxFetchWait < TimeSpan.FromMilliseconds(1) || options.MaxFetchWait > TimeSpan.FromMinutes(5)) Fail(nameof(options.MaxFetchWait), $"is {options.MaxFetchWait}; it must be 1 ms to 5 min");
        if (options.ProduceTimeout <= TimeSpan.Zero) Fail(nameof(options.ProduceTimeout), $"is {options.ProduceTimeout}; it must be more than 0");
        if (options.MetadataTimeout <= TimeSpan.Zero) Fail(nameof(options.MetadataTimeout), $"is {options.MetadataTimeout}; it must be more than 0");
        if (options.ConnectionString is { Length: > 0 } && (options.SaslUsername is not null || options.SaslPassword is not null || options.SaslMechanism is { } m && m != SaslMechanism.Plain))
            Fail(nameof(options.ConnectionString), "is set together with other SASL settings: a connection string already means SASL PLAIN with user $ConnectionString; set one or the other");
        if (options.SaslMechanism is SaslMechanism.Plain or SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512 && options.ConnectionString is null
            && (string.IsNullOrEmpty(options.SaslUsername) || string.IsNullOrEmpty(options.SaslPassword)))
            Fail(nameof(options.SaslMechanism), $"is {options.SaslMechanism}, which needs SaslUsername and SaslPassword");
        if (options.SaslMechanism is SaslMechanism.Gssapi) Fail(nameof(options.SaslMechanism), "is Gssapi, which this provider does not support; use Plain, ScramSha256, ScramSha512 or OAuthBearer");
    }

    private void Fail(string option, string problem) =>
        throw new OrleansConfigurationException($"Kafka stream provider '{name}': {nameof(KafkaStreamOptions)}.{option} (TableStore:Kafka:{option} on a TableStore silo) {problem}.");
}
