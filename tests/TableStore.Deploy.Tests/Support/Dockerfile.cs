using System.Text.Json;

namespace TableStore.Deploy.Tests.Support;

/// <summary>
/// A Dockerfile parsed into stages of instructions, as the Docker builder reads it: comments dropped, lines ending in
/// a backslash joined, each instruction a keyword and its arguments. No Docker engine runs on these machines, so the
/// tests check the file by reading it and by replaying its build stage with the local SDK.
/// </summary>
internal sealed class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments, int Line);

    public sealed record Stage(string Image, string? Name, List<Instruction> Instructions)
    {
        public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
    }

    private static readonly HashSet<string> Keywords =
        ["FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"];

    public List<Stage> Stages { get; } = [];

    public static Dockerfile Parse(string text)
    {
        var file = new Dockerfile();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                if (next.StartsWith('#')) continue; // comments inside a continued instruction are dropped
                line = line[..^1].TrimEnd() + " " + next;
            }
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var keyword = parts[0].ToUpperInvariant();
            if (!Keywords.Contains(keyword)) throw new FormatException($"Dockerfile line {start}: unknown instruction '{parts[0]}'");
            if (parts.Length < 2 || parts[1].Length == 0) throw new FormatException($"Dockerfile line {start}: {keyword} needs arguments");
            var instruction = new Instruction(keyword, parts[1], start);
            if (keyword == "FROM")
            {
                var from = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string? name = from.Length == 3 && from[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? from[2] : null;
                if (from.Length != 1 && name is null) throw new FormatException($"Dockerfile line {start}: FROM IMAGE [AS NAME], got '{parts[1]}'");
                file.Stages.Add(new Stage(from[0], name, []));
            }
            else if (file.Stages.Count == 0) throw new FormatException($"Dockerfile line {start}: {keyword} before the first FROM");
            else file.Stages[^1].Instructions.Add(instruction);
        }
        return file;
    }

    /// <summary>COPY's options (<c>--from=build</c>), sources and destination.</summary>
    public static (Dictionary<string, string> Options, List<string> Sources, string Destination) Copy(Instruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var options = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal)).Select(w => w[2..].Split('=', 2))
            .ToDictionary(o => o[0], o => o.Length > 1 ? o[1] : "");
        words = [.. words.Skip(options.Count)];
        if (words.Count < 2) throw new FormatException($"Dockerfile line {copy.Line}: COPY needs a source and a destination");
        return (options, words[..^1], words[^1]);
    }

    /// <summary>ENV KEY=VALUE pairs (the form this project uses; the legacy <c>ENV KEY VALUE</c> is refused).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Env(Instruction env) =>
        env.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2) is [var k, var v]
            ? KeyValuePair.Create(k, v)
            : throw new FormatException($"Dockerfile line {env.Line}: ENV wants KEY=VALUE, got '{pair}'"));

    /// <summary>An exec-form (JSON array) ENTRYPOINT or CMD.</summary>
    public static string[] ExecForm(Instruction instruction) =>
        instruction.Arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<string[]>(instruction.Arguments)!
            : throw new FormatException($"Dockerfile line {instruction.Line}: {instruction.Keyword} should use the exec form [\"...\"] so the process gets SIGTERM");
}
