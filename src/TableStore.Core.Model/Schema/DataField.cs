namespace TableStore.Core.Schema;

/// <summary>A column. The id is stable for the column's lifetime: renames keep it, new columns get new ids.</summary>
public sealed record DataField(int Id, string Name, DataType Type)
{
    public override string ToString() => $"{Name} {Type}";
}
