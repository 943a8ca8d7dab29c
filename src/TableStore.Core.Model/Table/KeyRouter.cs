using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Where a primary key lives: its partition (partition columns are always part of the primary key) and its bucket,
/// computed exactly as writes route rows, so a lookup goes to the one bucket that can hold the key.
/// </summary>
public sealed class KeyRouter(TableSchema schema)
{
    private readonly BucketHasher _hasher = new(schema);

    /// <param name="key">Typed primary-key values, in <see cref="TableSchema.PrimaryKeys"/> order.</param>
    public (object?[] Partition, int Bucket) Locate(object?[] key)
    {
        var keyIndices = schema.KeyIndices;
        if (key.Length != keyIndices.Length)
            throw new InvalidInputException($"A key of {key.Length} values was given; the primary key ({string.Join(", ", schema.PrimaryKeys)}) has {keyIndices.Length}.");
        var row = new object?[schema.Fields.Length];
        for (int i = 0; i < keyIndices.Length; i++) row[keyIndices[i]] = key[i];
        var partition = new object?[schema.PartitionIndices.Length];
        for (int i = 0; i < partition.Length; i++) partition[i] = row[schema.PartitionIndices[i]];
        return (partition, _hasher.Bucket(row));
    }
}
