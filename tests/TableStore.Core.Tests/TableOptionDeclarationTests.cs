using System.Reflection;
using System.Text;
using TableStore.Core.Schema;

namespace TableStore.Core.Tests;

/// <summary>
/// Table options are declared once (<see cref="CoreOptions.All"/>): these tests hold the code, the error messages
/// and docs/file-format.md §11 to those declarations.
/// </summary>
public sealed class TableOptionDeclarationTests
{
    private const string DocsBegin = "<!-- table-options:begin (generated from CoreOptions.All by TableOptionDeclarationTests) -->";
    private const string DocsEnd = "<!-- table-options:end -->";

    [Fact]
    public void Every_key_the_code_names_is_declared_once_and_every_default_parses()
    {
        var constants = typeof(CoreOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Key", StringComparison.Ordinal)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(constants);
        foreach (var key in constants) Assert.True(CoreOptions.Find(key) is { IsPattern: false }, $"'{key}' is named in code but not declared");
        Assert.Equal(CoreOptions.All.Count, CoreOptions.All.Select(o => o.Key).Distinct().Count());
        Assert.All(CoreOptions.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), o.Key));

        var defaults = new CoreOptions(new Dictionary<string, string>());
        Assert.Equal(MergeEngine.Deduplicate, defaults.MergeEngine);
        Assert.Equal(defaults.CompactionTrigger + 3, defaults.StopTrigger);
        Assert.Equal(int.MaxValue, defaults.RetainedMax);
        Assert.Null(defaults.FullCompactionInterval);
    }

    [Fact]
    public void Patterns_match_their_instances_only()
    {
        Assert.Same(CoreOptions.FieldAggregateFunctionOption, CoreOptions.Find("fields.amount.aggregate-function"));
        Assert.Equal("amount", CoreOptions.FieldAggregateFunctionOption.PlaceholderOf("fields.amount.aggregate-function"));
        Assert.Same(CoreOptions.DefaultAggregateFunctionOption, CoreOptions.Find("fields.default-aggregate-function"));
        Assert.Same(CoreOptions.UserAnnotationOption, CoreOptions.Find("meta.owner"));
        Assert.Null(CoreOptions.Find("fields..aggregate-function"));
        Assert.Null(CoreOptions.Find("meta."));
        Assert.True(CoreOptions.IsMergeOption("fields.x.sequence-group"));
        Assert.False(CoreOptions.IsMergeOption("write-only"));
    }

    [Theory]
    [InlineData("file.compression", "lz4", "supported: zstd, snappy, gzip, none")]
    [InlineData("changelog-producer", "always", "supported: none, input, lookup, full-compaction")]
    [InlineData("num-sorted-run.compaction-trigger", "1", "must be between 2 and 1000")]
    [InlineData("num-sorted-run.stop-trigger", "3", "must be between 5 and 10000")] // its lower bound follows the compaction trigger
    [InlineData("write-only", "yes", "must be true or false")]
    [InlineData("snapshot.time-retained", "1 week", "unknown unit 'week'")]
    [InlineData("target-file-size", "-1", "must be positive")]
    public void A_bad_value_names_the_option_and_what_it_takes(string key, string value, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => new CoreOptions(new Dictionary<string, string> { [key] = value }));
        Assert.Contains($"Invalid value '{value}' for table option '{key}'", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Aliases_are_accepted_and_values_are_case_insensitive()
    {
        var o = new CoreOptions(new Dictionary<string, string> { ["file.compression"] = "Uncompressed", ["merge-engine"] = " FIRST-ROW " });
        Assert.Equal(FileCompression.None, o.Compression);
        Assert.Equal(MergeEngine.FirstRow, o.MergeEngine);
    }

    [Fact]
    public void An_unknown_key_suggests_the_nearest_known_one()
    {
        var e = Assert.Throws<InvalidInputException>(() => CoreOptions.ValidateKeys(["num-sorted-runs.compaction-trigger"]));
        Assert.Contains("Did you mean 'num-sorted-run.compaction-trigger'?", e.Message);
        var far = Assert.Throws<InvalidInputException>(() => CoreOptions.ValidateKeys(["colour"]));
        Assert.DoesNotContain("Did you mean", far.Message);
        Assert.Contains("fields.<column>.aggregate-function", far.Message);
        CoreOptions.ValidateKeys(["meta.owner", "fields.amount.aggregate-function", "merge-engine"]);
    }

    /// <summary>
    /// docs/file-format.md §11 holds the table this renders. Run with TABLESTORE_UPDATE_DOCS=1 to rewrite it after
    /// changing a declaration.
    /// </summary>
    [Fact]
    public void The_options_table_in_the_docs_is_the_declarations()
    {
        var path = Support.LocalServers.FindInRepository("docs", "file-format.md") ?? throw new FileNotFoundException("docs/file-format.md");
        var text = File.ReadAllText(path);
        int begin = text.IndexOf(DocsBegin, StringComparison.Ordinal), end = text.IndexOf(DocsEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/file-format.md lacks the markers {DocsBegin} ... {DocsEnd}");
        var expected = "\n" + Markdown() + "\n";
        var actual = text[(begin + DocsBegin.Length)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("TABLESTORE_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..(begin + DocsBegin.Length)] + expected + text[end..]);
            return;
        }
        Assert.True(actual == expected, $"docs/file-format.md §11 differs from CoreOptions.All; rerun this test with TABLESTORE_UPDATE_DOCS=1. Expected:\n{expected}");
    }

    private static string Markdown()
    {
        static string Cell(string s) => s.Length == 0 ? "—" : s.Replace("|", "\\|", StringComparison.Ordinal);
        var sb = new StringBuilder("| Key | Values | Default | Description |\n|---|---|---|---|\n");
        foreach (var o in CoreOptions.All)
            sb.Append($"| `{o.Key}` | {Cell(o.Values)} | {(o.DefaultText.Length == 0 ? "—" : $"`{o.DefaultText}`")} | {Cell(o.Description)}{(o.Restrictions.Length > 0 ? $" ({o.Restrictions})" : "")} |\n");
        return sb.ToString().TrimEnd('\n');
    }
}
