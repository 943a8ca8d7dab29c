namespace TableStore.Abstractions;

/// <summary>
/// Changes to a table: options to set and remove, and column changes (applied as renames, widenings, drops,
/// additions, then options; see <see cref="Core.Schema.SchemaChange"/>). One alteration is one schema version.
/// </summary>
[GenerateSerializer, Immutable, Alias("TableStore.TableAlteration")]
public sealed record TableAlteration(
    [property: Id(0)] IReadOnlyDictionary<string, string> SetOptions,
    [property: Id(1)] IReadOnlyList<string> RemoveOptions)
{
    [Id(2)] public IReadOnlyList<ColumnSpec> AddColumns { get; init; } = [];
    [Id(3)] public IReadOnlyList<string> DropColumns { get; init; } = [];
    /// <summary>Old name → new name.</summary>
    [Id(4)] public IReadOnlyList<KeyValuePair<string, string>> RenameColumns { get; init; } = [];
    /// <summary>Column name and its new, wider type.</summary>
    [Id(5)] public IReadOnlyList<ColumnSpec> WidenColumns { get; init; } = [];

    public static TableAlteration From(IReadOnlyList<Core.Schema.SchemaChange> changes) => new(
        changes.OfType<Core.Schema.SchemaChange.SetOption>().ToDictionary(c => c.Key, c => c.Value),
        changes.OfType<Core.Schema.SchemaChange.RemoveOption>().Select(c => c.Key).ToList())
    {
        AddColumns = changes.OfType<Core.Schema.SchemaChange.AddColumn>().Select(c => new ColumnSpec(c.Name, c.Type.ToString())).ToList(),
        DropColumns = changes.OfType<Core.Schema.SchemaChange.DropColumn>().Select(c => c.Name).ToList(),
        RenameColumns = changes.OfType<Core.Schema.SchemaChange.RenameColumn>().Select(c => KeyValuePair.Create(c.From, c.To)).ToList(),
        WidenColumns = changes.OfType<Core.Schema.SchemaChange.WidenColumn>().Select(c => new ColumnSpec(c.Name, c.Type.ToString())).ToList(),
    };

    public List<Core.Schema.SchemaChange> ToChanges() =>
    [
        .. RenameColumns.Select(r => new Core.Schema.SchemaChange.RenameColumn(r.Key, r.Value)),
        .. WidenColumns.Select(w => new Core.Schema.SchemaChange.WidenColumn(w.Name, Core.Schema.DataType.Parse(w.Type))),
        .. DropColumns.Select(d => new Core.Schema.SchemaChange.DropColumn(d)),
        .. AddColumns.Select(a => new Core.Schema.SchemaChange.AddColumn(a.Name, Core.Schema.DataType.Parse(a.Type))),
        .. SetOptions.Select(o => new Core.Schema.SchemaChange.SetOption(o.Key, o.Value)),
        .. RemoveOptions.Select(k => new Core.Schema.SchemaChange.RemoveOption(k)),
    ];
}
