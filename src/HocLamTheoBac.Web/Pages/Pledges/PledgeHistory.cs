using System.Text.Json;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// A pledge's changes of status and the notes given with them (a reason to return, reopen or judge it not done; a note
/// on the result), read from the audit trail so the member and the secretary see why without opening the audit log.
/// </summary>
public static class PledgeHistory
{
    public sealed record Step(DateTimeOffset At, PledgeStatus? From, PledgeStatus? To, string? Note);

    /// <summary>Most steps shown, the latest ones.</summary>
    public const int Shown = 50;

    public static async Task<List<Step>> LoadAsync(AppDbContext db, int pledgeId, CancellationToken ct)
    {
        var id = pledgeId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(Pledge) && a.EntityId == id)
            .OrderByDescending(a => a.Id).Take(Shown)
            .Select(a => new { a.At, a.Before, a.After, a.Note })
            .ToListAsync(ct);
        rows.Reverse();
        var steps = new List<Step>();
        foreach (var r in rows)
        {
            var from = StatusIn(r.Before);
            var to = StatusIn(r.After);
            if (to is null && r.Note is null) continue;
            steps.Add(new Step(r.At, from, to, r.Note));
        }
        return steps;
    }

    private static PledgeStatus? StatusIn(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object
               && doc.RootElement.TryGetProperty(nameof(Pledge.Status), out var s) && s.ValueKind == JsonValueKind.String
               && Enum.TryParse<PledgeStatus>(s.GetString(), out var status)
            ? status : null;
    }
}
