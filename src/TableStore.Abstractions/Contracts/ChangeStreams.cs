namespace TableStore.Abstractions;

/// <summary>The Orleans streams that carry tables' <see cref="ChangeEvent"/>s: this namespace, keyed by <c>db.table</c>.</summary>
public static class ChangeStreams
{
    public const string Namespace = "tablestore.changes";

    /// <summary>The stream provider name silos and clients use unless configured otherwise.</summary>
    public const string DefaultProvider = "TableStore";
}
