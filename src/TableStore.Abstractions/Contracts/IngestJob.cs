using System.Text.RegularExpressions;

namespace TableStore.Abstractions;

/// <summary>
/// A long-running ingestion in the service: change events of a Kafka topic into a table, exactly once, until stopped
/// (the options of <c>tablestore ingest kafka</c>, without its stop conditions). Stored in the warehouse, so it runs
/// again after any silo restart.
/// </summary>
/// <param name="Name">The job's name: letters, digits, '.', '_' and '-', at most 100.</param>
/// <param name="Table">The table, <c>db.table</c>.</param>
/// <param name="OnError"><c>fail</c>, <c>skip</c> or <c>dead-letter</c>.</param>
/// <param name="Settings">More librdkafka settings (SASL, SSL); stored with the job in the warehouse, so secrets only as <c>env:VARIABLE</c>, read on the silo that runs it.</param>
[GenerateSerializer, Immutable, Alias("TableStore.IngestJobSpec")]
public sealed partial record IngestJobSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Table,
    [property: Id(2)] string BootstrapServers,
    [property: Id(3)] string Topic,
    [property: Id(4)] string Format,
    [property: Id(5)] string? Group,
    [property: Id(6)] string OnError,
    [property: Id(7)] string? DeadLetterTopic,
    [property: Id(8)] IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid job name (it names a file in the warehouse).</summary>
    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"Invalid ingestion job name '{name}': use 1 to 100 letters, digits, '.', '_' or '-', not starting with '.'.", nameof(name));
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}

/// <summary>Where a job stands.</summary>
public enum IngestJobState
{
    /// <summary>Reading and committing.</summary>
    Running,
    /// <summary>Stopped by an error that a retry may get past (brokers unreachable, a store error); retried on its own.</summary>
    Retrying,
    /// <summary>Stopped by an error that needs a person (a malformed event under <c>fail</c>, a dropped table); start it again once fixed.</summary>
    Failed,
}

/// <summary>A job and what it has done since it last started on its silo.</summary>
/// <param name="Messages">Messages read since the job last started (counts restart with it; the table holds the positions).</param>
[GenerateSerializer, Immutable, Alias("TableStore.IngestJobStatus")]
public sealed record IngestJobStatus(
    [property: Id(0)] IngestJobSpec Spec,
    [property: Id(1)] IngestJobState State,
    [property: Id(2)] long Messages,
    [property: Id(3)] long Rows,
    [property: Id(4)] long Tombstones,
    [property: Id(5)] long Skipped,
    [property: Id(6)] long DeadLettered,
    [property: Id(7)] long? LastSnapshotId,
    [property: Id(8)] string? Error,
    [property: Id(9)] string? Silo);
