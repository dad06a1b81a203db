namespace HocLamTheoBac.Web.Cli;

/// <summary>Positional words and --options of one verb. Unknown options are a usage error (exit 2).</summary>
public sealed class CliArgs
{
    public List<string> Words { get; } = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public static CliArgs Parse(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var a = new CliArgs();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var w = e.Current;
            if (w.StartsWith("--", StringComparison.Ordinal))
            {
                var name = w[2..];
                string? value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (!flags.Contains(name))
                {
                    if (!e.MoveNext()) throw new UsageException($"Thiếu giá trị cho --{name}.");
                    value = e.Current;
                }
                a._options[name] = value;
            }
            else a.Words.Add(w);
        }
        return a;
    }

    public void Allow(params string[] names)
    {
        var unknown = _options.Keys.Except(names.Append("as")).ToList();
        if (unknown.Count > 0) throw new UsageException($"Tùy chọn không hợp lệ: --{unknown[0]}.");
    }

    public bool Has(string name) => _options.ContainsKey(name);
    public string? Get(string name) => _options.GetValueOrDefault(name);
    public string Required(string name) => Get(name) is { Length: > 0 } v ? v : throw new UsageException($"Thiếu tùy chọn bắt buộc --{name}.");

    public int RequiredInt(string name) =>
        int.TryParse(Required(name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} phải là một số nguyên.");

    public int? OptionalInt(string name) => Has(name) ? RequiredInt(name) : null;
}

public sealed class UsageException(string message) : Exception(message);

/// <summary>A failure the operator should read (bad data, refused access): one line, exit 1.</summary>
public sealed class CliFailure(string message) : Exception(message);
