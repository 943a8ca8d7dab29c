using System.CommandLine;
using System.Globalization;
using TableStore.Core;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary><c>tablestore table create|alter|list|describe|drop</c>.</summary>
internal static class TableCommands
{
    public static Command Build(CliContext context) => new("table", "Create, alter, list, describe and drop tables; list the table options")
    {
        Create(context),
        Alter(context),
        Rescale(context),
        List(context),
        Describe(context),
        Drop(context),
        TableOptionsCommand.Build(),
    };

    private static Command Create(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var schema = new Option<string>("--schema")
        {
            Description = "The columns: \"<col> <TYPE> [NOT NULL], ...\" (types: BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BYTES, DATE, TIMESTAMP)",
            Required = true,
        };
        var primaryKey = new Option<string?>("--primary-key") { Description = "Primary-key columns, comma-separated (none: an append-only table)" };
        var partitionBy = new Option<string?>("--partition-by") { Description = "Partition columns, comma-separated" };
        var buckets = CommonOptions.WholeNumber<int>("--buckets", "Number of buckets per partition [default: 1]", "N");
        var options = new Option<string[]>("--option")
        {
            Description = "A table option key=value (repeatable)",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("create", "Create a table") { table, schema, primaryKey, partitionBy, buckets, options };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var definition = new TableDefinition(
                SchemaParser.ParseColumns(pr.GetValue(schema)!),
                CommonOptions.SplitList(pr.GetValue(primaryKey), "--primary-key"),
                CommonOptions.SplitList(pr.GetValue(partitionBy), "--partition-by"),
                pr.GetValue(buckets) ?? 1,
                ParseOptions(pr.GetValue(options) ?? []));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var s = await service.CreateTableAsync(id, definition, ct).ConfigureAwait(false);
            pr.Out().WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Created table {id.FullName} ({KindName(s.Kind)}, {s.Fields.Length} column{(s.Fields.Length == 1 ? "" : "s")}, {s.BucketCount} bucket{(s.BucketCount == 1 ? "" : "s")})."));
            return 0;
        });
        return command;
    }

    private static Option<string[]> Repeatable(string name, string description, string helpName) => new(name)
    {
        Description = description + " (repeatable)",
        HelpName = helpName,
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>
    /// <c>table alter</c>: one new schema version from all the changes given, applied in this order: renames, widenings,
    /// drops, additions, then options. Data files are not rewritten: readers map columns by field id.
    /// </summary>
    private static Command Alter(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var add = Repeatable("--add-column", "Add a nullable column: \"name TYPE\"", "\"c TYPE\"");
        var drop = Repeatable("--drop-column", "Drop a column (not a primary-key or partition column)", "c");
        var rename = Repeatable("--rename-column", "Rename column a to b", "a:b");
        var widen = Repeatable("--widen", "Widen a column: INT to BIGINT, FLOAT to DOUBLE, DECIMAL to a larger precision", "c:TYPE");
        var set = Repeatable("--option", "Set a table option key=value", "key=value");
        var remove = Repeatable("--remove-option", "Remove a table option", "key");
        var command = new Command("alter", "Change a table's columns or options (a new schema version; old files stay readable)") { table, add, drop, rename, widen, set, remove };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var changes = new List<SchemaChange>();
            foreach (var r in pr.GetValue(rename) ?? [])
            {
                var (from, to) = Pair(r, "--rename-column", "a:b");
                changes.Add(new SchemaChange.RenameColumn(from, to));
            }
            foreach (var w in pr.GetValue(widen) ?? [])
            {
                var (name, type) = Pair(w, "--widen", "c:TYPE");
                changes.Add(new SchemaChange.WidenColumn(name, DataType.Parse(type)));
            }
            changes.AddRange((pr.GetValue(drop) ?? []).Select(d => new SchemaChange.DropColumn(d.Trim())));
            foreach (var a in pr.GetValue(add) ?? [])
            {
                var column = SchemaParser.ParseColumns(a);
                if (column.Count != 1) throw new InvalidInputException($"--add-column '{a}' must define exactly one column, \"name TYPE\".");
                changes.Add(new SchemaChange.AddColumn(column[0].Name, column[0].Type));
            }
            changes.AddRange(ParseOptions(pr.GetValue(set) ?? []).Select(kv => new SchemaChange.SetOption(kv.Key, kv.Value)));
            changes.AddRange((pr.GetValue(remove) ?? []).Select(k => new SchemaChange.RemoveOption(k.Trim())));
            if (changes.Count == 0)
                throw new InvalidInputException("Nothing to alter: give --add-column, --drop-column, --rename-column, --widen, --option or --remove-option.");
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var s = await service.AlterTableAsync(id, changes, ct).ConfigureAwait(false);
            pr.Out().WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Altered table {id.FullName}: schema {s.Id}, columns {string.Join(", ", s.Fields.Select(f => $"{f.Name} {f.Type}"))}."));
            return 0;
        });
        return command;
    }

    private static Command Rescale(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var buckets = CommonOptions.WholeNumber<int>("--buckets", "The new number of buckets per partition", "N");
        buckets.Required = true;
        var partition = new Option<string?>("--partition") { Description = "Only this partition: column=value[,column=value] (others keep their files and take writes after their own rescale)", HelpName = "k=v" };
        var command = new Command("rescale", "Change the number of buckets and rewrite the data for it (one OVERWRITE snapshot)") { table, buckets, partition };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            if (context.ShowProgress) pr.Err().WriteLine($"Rescaling {id.FullName}: reading and rewriting its data…");
            var o = await service.RescaleAsync(id, pr.GetValue(buckets)!.Value, PartitionSpec.ParseAssignments(pr.GetValue(partition)), ct).ConfigureAwait(false);
            pr.Out().WriteLine(o.SnapshotId is { } snapshot
                ? string.Create(CultureInfo.InvariantCulture, $"Rescaled {id.FullName} from {o.OldBuckets} to {o.NewBuckets} buckets in snapshot {snapshot}: {o.Partitions} partition{(o.Partitions == 1 ? "" : "s")}, {o.Rows:N0} rows rewritten.")
                : string.Create(CultureInfo.InvariantCulture, $"{id.FullName} already has {o.NewBuckets} buckets{(pr.GetValue(partition) is { } p ? $" in {p}" : "")}: nothing rewritten."));
            return 0;
        });
        return command;
    }

    private static (string, string) Pair(string text, string option, string form)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
            throw new InvalidInputException($"Invalid {option} '{text}': expected {form}.");
        return (text[..colon].Trim(), text[(colon + 1)..].Trim());
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List the tables of the warehouse, one <database>.<table> per line");
        command.SetAction(async (pr, ct) =>
        {
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var tables = await service.ListTablesAsync(ct).ConfigureAwait(false);
            foreach (var t in tables) pr.Out().WriteLine(t);
            if (tables.Count == 0) pr.Err().WriteLine($"(no tables in {service.Location})");
            return 0;
        });
        return command;
    }

    private static Command Describe(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var command = new Command("describe", "Show a table's columns, keys, buckets, options and latest snapshot") { table };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var (schema, latest) = await service.DescribeAsync(id, ct).ConfigureAwait(false);
            WriteDescription(pr.Out(), id, schema, latest);
            return 0;
        });
        return command;
    }

    private static Command Drop(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var command = new Command("drop", "Drop a table and delete all its files") { table };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            await service.DropTableAsync(id, ct).ConfigureAwait(false);
            pr.Out().WriteLine($"Dropped table {id.FullName}.");
            return 0;
        });
        return command;
    }

    internal static Dictionary<string, string> ParseOptions(IEnumerable<string> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : item[..eq].Trim();
            if (key.Length == 0)
                throw new InvalidInputException($"Invalid --option '{item}': expected key=value, e.g. --option file.compression=zstd.");
            if (!result.TryAdd(key, item[(eq + 1)..].Trim()))
                throw new InvalidInputException($"Table option '{key}' is given twice.");
        }
        return result;
    }

    private static string KindName(TableKind kind) => kind == TableKind.PrimaryKey ? "primary-key" : "append-only";

    private static void WriteDescription(TextWriter w, Identifier id, TableSchema s, long? latestSnapshot)
    {
        static string Or(string text, string none) => text.Length == 0 ? none : text;
        const string Label = "{0,-17}{1}";
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Format(inv, Label, "Table:", id.FullName));
        w.WriteLine(string.Format(inv, Label, "Kind:", KindName(s.Kind)));
        w.WriteLine("Columns:");
        var rows = s.Fields.Select((f, i) => new[]
        {
            f.Name,
            f.Type.TypeName,
            f.Type.Nullable ? "NULL" : "NOT NULL",
            Or(string.Join(", ", new[]
            {
                s.KeyIndices.Contains(i) ? "primary key" : "",
                s.PartitionIndices.Contains(i) ? "partition key" : "",
            }.Where(r => r.Length > 0)), ""),
        }).ToList();
        string[] header = ["name", "type", "nullable", "role"];
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        foreach (var r in rows.Prepend(header))
            w.WriteLine(("  " + string.Join("  ", r.Select((cell, c) => cell.PadRight(widths[c])))).TrimEnd());
        w.WriteLine(string.Format(inv, Label, "Primary key:", Or(string.Join(", ", s.PrimaryKeys), "(none)")));
        w.WriteLine(string.Format(inv, Label, "Partition keys:", Or(string.Join(", ", s.PartitionKeys), "(none)")));
        w.WriteLine(string.Format(inv, Label, "Buckets:", s.BucketCount));
        if (s.Options.IsEmpty) w.WriteLine(string.Format(inv, Label, "Options:", "(none)"));
        else
        {
            w.WriteLine("Options:");
            foreach (var (key, value) in s.Options) w.WriteLine($"  {key} = {value}");
        }
        w.WriteLine(string.Format(inv, Label, "Schema id:", s.Id));
        w.WriteLine(string.Format(inv, Label, "Latest snapshot:", latestSnapshot is { } l ? l.ToString(inv) : "(none)"));
    }
}
