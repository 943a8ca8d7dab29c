namespace TableStore.Ingest.Kafka;

/// <summary>What an ingestion does with an event it cannot turn into rows (bad JSON, wrong types, unknown columns, a refused op).</summary>
public enum MalformedEventPolicy
{
    /// <summary>Commit the events before it and stop with an error naming its partition and offset.</summary>
    Fail,
    /// <summary>Log it with its partition and offset, count it and go on.</summary>
    Skip,
    /// <summary>Copy it to the dead-letter topic (with the error and its origin in headers), count it and go on.</summary>
    DeadLetter,
}

/// <summary>The policies' names on the command line and in job definitions: <c>fail</c>, <c>skip</c>, <c>dead-letter</c>.</summary>
public static class MalformedEventPolicyNames
{
    public static readonly IReadOnlyList<string> All = ["fail", "skip", "dead-letter"];

    public static MalformedEventPolicy Parse(string name) => name switch
    {
        "fail" => MalformedEventPolicy.Fail,
        "skip" => MalformedEventPolicy.Skip,
        "dead-letter" => MalformedEventPolicy.DeadLetter,
        _ => throw new TableStore.Core.InvalidInputException($"Unknown --on-error policy '{name}'; supported: {string.Join(", ", All)}."),
    };
}
