using System.Globalization;

namespace TableStore.Abstractions;

/// <summary>The Orleans streams that carry tables' <see cref="ChangeEvent"/>s: this namespace, keyed by <c>db.table</c>.</summary>
public static class ChangeStreams
{
    public const string Namespace = "tablestore.changes";

    /// <summary>The stream provider name silos and clients use unless configured otherwise.</summary>
    public const string DefaultProvider = "TableStore";

    /// <summary>
    /// Prefix of the snapshot <c>logOffsets</c> keys <c>kafka-changes/&lt;topic&gt;/&lt;partition&gt;</c>: where on
    /// Kafka the table's changes of this snapshot and later ones are published, at or after the offset recorded
    /// (the offset after the table's last publish acknowledged before the snapshot was committed).
    /// </summary>
    public const string KafkaPositionPrefix = "kafka-changes/";

    public static string KafkaPositionKey(string topic, int partition) => string.Create(CultureInfo.InvariantCulture, $"{KafkaPositionPrefix}{topic}/{partition}");

    /// <summary>The topic and partition of a <see cref="KafkaPositionKey"/>; false for other keys.</summary>
    public static bool TryParseKafkaPositionKey(string key, out string topic, out int partition)
    {
        topic = "";
        partition = -1;
        if (!key.StartsWith(KafkaPositionPrefix, StringComparison.Ordinal)) return false;
        int slash = key.LastIndexOf('/');
        if (slash <= KafkaPositionPrefix.Length || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out partition)) return false;
        topic = key[KafkaPositionPrefix.Length..slash];
        return true;
    }
}
