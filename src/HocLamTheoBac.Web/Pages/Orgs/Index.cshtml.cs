using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>The tree of the units the user may see, with search by name or code.</summary>
public sealed class IndexModel(AccessService access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    public List<Node> Roots { get; private set; } = [];
    public List<Row> Matches { get; private set; } = [];
    public bool Truncated { get; private set; }

    public sealed record Row(int Id, int? ParentId, string Code, string Name, string Kind, int Depth, bool Closed, string Path);

    public sealed class Node(Row row)
    {
        public Row Row { get; } = row;
        public List<Node> Children { get; } = [];
    }

    private const int MaxRows = 3000;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var units = access.Units(scope, Permission.ViewUnit).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            var like = VietnameseText.Contains(q);
            Matches = await units.Where(u => EF.Functions.Like(VietnameseText.Fold(u.Name), like) || EF.Functions.ILike(u.Code, $"%{q}%"))
                .OrderBy(u => EF.Functions.Collate(u.Name, VietnameseText.Collation)).Take(200)
                .Select(u => new Row(u.Id, u.ParentId, u.Code, u.Name, u.Kind.Name, u.Path.NLevel, u.ClosedOn != null, u.Path.ToString()))
                .ToListAsync(ct);
            return;
        }
        var rows = await units.Where(u => u.ClosedOn == null).OrderBy(u => u.Path).Take(MaxRows + 1)
            .Select(u => new Row(u.Id, u.ParentId, u.Code, u.Name, u.Kind.Name, u.Path.NLevel, false, u.Path.ToString()))
            .ToListAsync(ct);
        Truncated = rows.Count > MaxRows;
        var nodes = rows.Take(MaxRows).ToDictionary(r => r.Id, r => new Node(r));
        foreach (var n in nodes.Values.OrderBy(n => n.Row.Name, StringComparer.Create(ServiceSetup.Vietnamese, false)))
        {
            if (n.Row.ParentId is int p && nodes.TryGetValue(p, out var parent)) parent.Children.Add(n);
            else Roots.Add(n);
        }
    }
}
