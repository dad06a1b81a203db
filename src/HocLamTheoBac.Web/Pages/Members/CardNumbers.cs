using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>
/// Party card numbers are unique across the whole database, but a user learns only about the members they may see
/// (issue 13: creating a member with a card number used in another branch named the number as existing, so a
/// secretary could probe the province). A number held by a member inside the user's sight is named as taken — the
/// secretary can open that record and sort it out; a number held outside it gets a message that confirms nothing and
/// tells the legitimate reason to meet it (a member moving in is transferred, not created again). The form and the
/// import ask here.
/// </summary>
public static class CardNumbers
{
    public static string TakenNearby(string card) => $"Số thẻ đảng viên {card} đã được dùng cho một đảng viên khác.";

    public static string TakenNearbyInFile(string card) => $"số thẻ {card} đã có trong hệ thống";

    /// <summary>The same words whatever the reason the number cannot be used here; never "exists".</summary>
    public static string Unusable(string card) =>
        $"Không dùng được số thẻ đảng viên {card} cho hồ sơ này. Hãy kiểm tra lại số thẻ; nếu đảng viên chuyển sinh hoạt đến từ đơn vị khác, đề nghị cấp ủy cấp trên chuyển sinh hoạt thay vì tạo hồ sơ mới.";

    /// <summary>
    /// Leaves a trace of numbers refused because they are held outside the user's sight (a probe shows as such in the
    /// log), without the numbers themselves. The form logs one, the import one line per file with the count.
    /// </summary>
    public static void LogRefused(ILogger log, string where, int unitId, int count) =>
        log.LogWarning("{Count} card number(s) held outside the user's subtree refused ({Where}, unit {Unit})", count, where, unitId);

    /// <summary>Cards among <paramref name="cards"/> already held by another member (deleted ones too, as the unique
    /// index counts them): true when the holder is one the user may see (<paramref name="visible"/>), false otherwise.</summary>
    public static async Task<Dictionary<string, bool>> TakenAsync(AppDbContext db, IQueryable<Member> visible, IReadOnlyCollection<string> cards, int? exceptMemberId, CancellationToken ct)
    {
        if (cards.Count == 0) return [];
        var except = exceptMemberId ?? 0;
        return await HoldersAsync(db.Members.IgnoreQueryFilters().Where(m => m.CardNumber != null && cards.Contains(m.CardNumber) && m.Id != except), visible, ct);
    }

    /// <summary>The same for a set of cards given as a query (an import's staging table: no list of the file's cards in memory).</summary>
    public static Task<Dictionary<string, bool>> TakenAsync(AppDbContext db, IQueryable<Member> visible, IQueryable<string> cards, CancellationToken ct) =>
        HoldersAsync(db.Members.IgnoreQueryFilters().Where(m => m.CardNumber != null && cards.Contains(m.CardNumber)), visible, ct);

    private static async Task<Dictionary<string, bool>> HoldersAsync(IQueryable<Member> holders, IQueryable<Member> visible, CancellationToken ct)
    {
        var found = await holders.AsNoTracking()
            .Select(m => new { Card = m.CardNumber!, Seen = visible.Any(v => v.Id == m.Id) })
            .ToListAsync(ct);
        return found.GroupBy(h => h.Card).ToDictionary(g => g.Key, g => g.Any(h => h.Seen));
    }
}
