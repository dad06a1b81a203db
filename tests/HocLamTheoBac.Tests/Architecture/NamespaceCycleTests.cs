using System.Text.RegularExpressions;

namespace HocLamTheoBac.Tests.Architecture;

/// <summary>
/// No file in src imports a namespace that imports the file's own namespace back (Pages never import Cli, Data never
/// imports Infrastructure or a feature of Pages): the rooms depend one way, so a helper lives where its users can reach it.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    [Fact]
    public void No_two_namespaces_of_the_web_project_import_each_other()
    {
        var src = Path.Combine(RepositoryRoot(), "src", "HocLamTheoBac.Web");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(src, f), File.ReadAllText(f))).ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {src}");
        Assert.Empty(Cycles(files));
    }

    [Fact]
    public void A_namespace_importing_one_that_imports_it_back_is_found()
    {
        var cycles = Cycles([
            ("Pages/Users/Edit.cshtml.cs", "using HocLamTheoBac.Web.Cli;\nnamespace HocLamTheoBac.Web.Pages.Users;\n"),
            ("Cli/UsersVerb.cs", "using HocLamTheoBac.Web.Pages.Users;\nnamespace HocLamTheoBac.Web.Cli;\n"),
            ("Domain/Rate.cs", "namespace HocLamTheoBac.Web.Domain;\n"),
            ("Data/AppDbContext.cs", "using HocLamTheoBac.Web.Domain;\nnamespace HocLamTheoBac.Web.Data;\n"),
        ]);
        Assert.Equal(["HocLamTheoBac.Web.Cli ⇄ HocLamTheoBac.Web.Pages.Users (Cli/UsersVerb.cs; Pages/Users/Edit.cshtml.cs)"], cycles);
    }

    /// <summary>Each pair of namespaces that import each other, with one file on each side.</summary>
    private static List<string> Cycles(IEnumerable<(string Path, string Text)> files)
    {
        var imports = new Dictionary<(string From, string To), string>();
        foreach (var (path, text) in files)
        {
            var ns = NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : "(global)";
            foreach (Match u in UsingLine().Matches(text))
                if (u.Groups[1].Value != ns) imports.TryAdd((ns, u.Groups[1].Value), path);
        }
        return imports.Keys.Where(k => string.CompareOrdinal(k.From, k.To) < 0 && imports.ContainsKey((k.To, k.From)))
            .Select(k => $"{k.From} ⇄ {k.To} ({imports[k]}; {imports[(k.To, k.From)]})").Order(StringComparer.Ordinal).ToList();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HocLamTheoBac.sln"))) return dir.FullName;
        throw new InvalidOperationException("HocLamTheoBac.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^namespace (HocLamTheoBac\.Web[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (HocLamTheoBac\.Web[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
