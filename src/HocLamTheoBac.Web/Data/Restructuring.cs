using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// Moving, merging and closing units, with the rules of docs/adr/0006 (section "Restructuring"), shared by the
/// Restructure page and `hlb orgs move|merge|close`. Each operation returns null when done, or the Vietnamese reason
/// it was refused (nothing changed). The caller owns the transaction.
/// - The effective date lies in the current year (Vietnam calendar), not after today and not before the unit's last
///   change: restructuring never rewrites a past year.
/// - A merge moves everything of the merged unit's current year (pledges of every status, collective items, models,
///   replications, commendations, study sessions from the effective date, pressing problems, leaders' tasks, indicators)
///   to the receiving unit (sessions already held stay with the unit that held them and count for its successor),
///   transfers its members with the transfer page's date check, moves its sub-units, records the successor and closes it.
/// - A close is refused while the unit still has members or owns records of the current year, unless a successor is
///   named, which receives those records. Every change goes through EF, so the audit trail and the year guard see it.
/// </summary>
public static class Restructuring
{
    /// <summary>Whether a refusal is about the effective date (every refusal of <see cref="CheckDateAsync"/> begins "Ngày hiệu lực"): the page shows it under the date box.</summary>
    public static bool IsDateRefusal(string refusal) => refusal.StartsWith("Ngày hiệu lực", StringComparison.Ordinal);

    public static async Task<string?> CheckDateAsync(AppDbContext db, OrgUnit unit, DateOnly on, CancellationToken ct, OrgUnit? under = null)
    {
        var today = db.Clock.Today;
        if (on > today) return $"Ngày hiệu lực {Vn.Date(on)} không được sau ngày hôm nay ({Vn.Date(today)}).";
        if (on.Year != today.Year) return $"Ngày hiệu lực phải trong năm {today.Year}: sắp xếp tổ chức không được thay đổi số liệu của các năm trước.";
        // The tree of every day after the effective date would be rewritten: refused when the unit, a unit of its subtree
        // (one that joined or left it, or moved inside it), or the unit it goes under changed after that date — the
        // placements of those days say where each unit stood, and study sessions count them (ADR 0028).
        var last = await db.OrgPlacements.Where(p => p.OrgUnitId == unit.Id).MaxAsync(p => (DateOnly?)p.ValidFrom, ct);
        if (last is { } l && on < l) return $"Ngày hiệu lực phải từ ngày {Vn.Date(l)} (lần thay đổi trước của {unit.Name}).";
        var inside = await db.OrgPlacements.Where(p => p.Path.IsDescendantOf(unit.Path) && p.OrgUnitId != unit.Id)
            .Select(p => new { p.OrgUnitId, Day = p.ValidTo ?? p.ValidFrom }).OrderByDescending(x => x.Day).FirstOrDefaultAsync(ct);
        if (inside is not null && on < inside.Day)
        {
            var name = await db.OrgUnits.Where(u => u.Id == inside.OrgUnitId).Select(u => u.Name).FirstAsync(ct);
            return $"Ngày hiệu lực phải từ ngày {Vn.Date(inside.Day)} (lần thay đổi trước của {name}, đơn vị trực thuộc {unit.Name}).";
        }
        if (under is not null
            && await db.OrgPlacements.Where(p => p.OrgUnitId == under.Id).MaxAsync(p => (DateOnly?)p.ValidFrom, ct) is { } t && on < t)
            return $"Ngày hiệu lực phải từ ngày {Vn.Date(t)} (lần thay đổi trước của {under.Name}).";
        if (await YearGuard.IsClosedAsync(db, unit.Path, on.Year, ct)) return YearClosure.Message(on.Year);
        return null;
    }

    /// <summary>Said when a record of the unit changed while it was being restructured (found by the attack walk).</summary>
    public const string ChangedMeanwhile = "Trong lúc sắp xếp, một số bản ghi của đơn vị vừa được người khác thay đổi. Chưa có thay đổi nào được áp dụng; vui lòng thực hiện lại.";

    /// <summary>
    /// Runs one restructuring (<see cref="MoveAsync"/>, <see cref="MergeAsync"/>, <see cref="CloseAsync"/>) in its own
    /// transaction, for the page and the command line alike: its refusal, or null once committed. A record edited by
    /// someone else while it is moved (its row version changed), or a deadlock with such a writer, rolls the whole
    /// operation back and is refused with <see cref="ChangedMeanwhile"/> instead of an error page or a stack trace.
    /// </summary>
    /// <summary>
    /// One restructuring is one transaction: its statements (placements closed, paths rewritten, placements opened, the
    /// unit saved) commit together, so no reader, aggregate or crash sees half a move. Inside a caller's transaction (the
    /// page, the command line) it joins it. Found by the aggregates' property test: a move run without one committed its
    /// statements one by one, and a session held on the move's day lost its attendance from the aggregates.
    /// </summary>
    private static Task<string?> Atomic(AppDbContext db, Func<Task<string?>> operation, CancellationToken ct) =>
        db.Database.CurrentTransaction is null ? InTransactionAsync(db, operation, ct) : operation();

    public static async Task<string?> InTransactionAsync(AppDbContext db, Func<Task<string?>> operation, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (await operation() is { } refusal) return refusal;
            await tx.CommitAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException
            || e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure })
        {
            return ChangedMeanwhile;
        }
    }

    public static Task<string?> MoveAsync(AppDbContext db, OrgUnit unit, OrgUnit target, DateOnly on, CancellationToken ct) =>
        Atomic(db, () => MoveCoreAsync(db, unit, target, on, ct), ct);

    private const long RestructuringLock = 0x484C42_4F5247; // "HLB ORG"

    /// <summary>
    /// One restructuring at a time (a transaction-level advisory lock), and the units it was given still as they are in the
    /// database: the attack walk of session 12 posted two moves at once that each made the other's unit its parent (a cycle:
    /// both checks passed on what each had read), and two branches merged into each other (27 pledges counted nowhere).
    /// A unit moved, merged or closed since the caller read it is refused with <see cref="ChangedMeanwhile"/>.
    /// </summary>
    private static async Task<string?> ExclusiveAsync(AppDbContext db, CancellationToken ct, params OrgUnit?[] units)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RestructuringLock})", ct);
        foreach (var u in units)
        {
            if (u is null) continue;
            var now = await db.OrgUnits.AsNoTracking().Where(x => x.Id == u.Id).Select(x => new { x.Path, x.ParentId, x.ClosedOn, x.MergedIntoId }).SingleAsync(ct);
            if ((string)now.Path != (string)u.Path || now.ParentId != u.ParentId || now.ClosedOn != u.ClosedOn || now.MergedIntoId != u.MergedIntoId)
                return ChangedMeanwhile;
        }
        return null;
    }

    private static async Task<string?> MoveCoreAsync(AppDbContext db, OrgUnit unit, OrgUnit target, DateOnly on, CancellationToken ct)
    {
        if (await ExclusiveAsync(db, ct, unit, target) is { } changed) return changed;
        if (unit.ParentId is null) return "Không thể chuyển đơn vị cấp cao nhất.";
        if (OrgPaths.IsWithin(target.Path, unit.Path)) return "Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.";
        if (target.Kind.IsBranch) return "Chi bộ không có đơn vị trực thuộc; hãy chọn một đảng bộ.";
        if (target.ClosedOn is not null) return $"{target.Name} đã giải thể.";
        if (unit.ParentId == target.Id) return $"{unit.Name} đang trực thuộc {target.Name}.";
        if (await CheckDateAsync(db, unit, on, ct, under: target) is { } bad) return bad;
        await db.MoveAsync(unit, target, on, ct);
        unit.NoteForAudit($"Chuyển về trực thuộc {target.Name} ({target.Code}) từ ngày {Vn.Date(on)}");
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static Task<string?> MergeAsync(AppDbContext db, OrgUnit source, OrgUnit survivor, DateOnly on, CancellationToken ct) =>
        Atomic(db, () => MergeCoreAsync(db, source, survivor, on, ct), ct);

    private static async Task<string?> MergeCoreAsync(AppDbContext db, OrgUnit source, OrgUnit survivor, DateOnly on, CancellationToken ct)
    {
        if (await ExclusiveAsync(db, ct, source, survivor) is { } changed) return changed;
        if (source.ParentId is null) return "Không thể hợp nhất đơn vị cấp cao nhất.";
        if (survivor.Id == source.Id || OrgPaths.IsWithin(survivor.Path, source.Path)) return "Đơn vị tiếp nhận phải nằm ngoài đơn vị bị hợp nhất.";
        if (source.Kind.IsBranch && !survivor.Kind.IsBranch) return "Chi bộ chỉ hợp nhất được vào một chi bộ khác.";
        if (!source.Kind.IsBranch && survivor.Kind.IsBranch) return "Đảng bộ chỉ hợp nhất được vào một đảng bộ.";
        if (survivor.ClosedOn is not null) return $"{survivor.Name} đã giải thể.";
        if (await CheckDateAsync(db, source, on, ct, under: survivor) is { } bad) return bad;
        if (await YearGuard.IsClosedAsync(db, survivor.Path, on.Year, ct)) return YearClosure.Message(on.Year);

        var members = await db.Members.Where(m => m.BranchId == source.Id && m.Status == MemberStatus.Active).OrderBy(m => m.Id).ToListAsync(ct);
        foreach (var m in members)
            if (await MemberTransfers.RefusalAsync(db, m, on, ct) is { } refusal) return $"{m.FullName}: {refusal}";

        var children = await db.OrgUnits.Include(u => u.Kind).Where(u => u.ParentId == source.Id && u.ClosedOn == null).ToListAsync(ct);
        foreach (var child in children)
        {
            await db.MoveAsync(child, survivor, on, ct);
            child.NoteForAudit($"Chuyển về {survivor.Name} do hợp nhất {source.Name} từ ngày {Vn.Date(on)}");
            await db.SaveChangesAsync(ct);
        }
        foreach (var m in members) await MemberTransfers.TransferAsync(db, m, survivor.Id, on, ct);
        await MoveYearRecordsAsync(db, [source.Id], survivor, on, $"Hợp nhất {source.Name} vào {survivor.Name} từ ngày {Vn.Date(on)}", ct);
        source.MergedIntoId = survivor.Id;
        source.NoteForAudit($"Hợp nhất vào {survivor.Name} ({survivor.Code}) từ ngày {Vn.Date(on)}");
        await db.CloseAsync(source, on, ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static Task<string?> CloseAsync(AppDbContext db, OrgUnit unit, DateOnly on, OrgUnit? successor, CancellationToken ct) =>
        Atomic(db, () => CloseCoreAsync(db, unit, on, successor, ct), ct);

    private static async Task<string?> CloseCoreAsync(AppDbContext db, OrgUnit unit, DateOnly on, OrgUnit? successor, CancellationToken ct)
    {
        if (await ExclusiveAsync(db, ct, unit, successor) is { } changed) return changed;
        // A top-level unit (a province) closes only into a successor, as Hà Giang did into Tuyên Quang in 2025.
        if (unit.ParentId is null && successor is null) return "Không thể giải thể đơn vị cấp cao nhất khi không có đơn vị kế thừa.";
        var path = unit.Path;
        if (await db.Members.AnyAsync(m => m.Status == MemberStatus.Active && m.Branch.Path.IsDescendantOf(path), ct))
            return "Đơn vị còn đảng viên đang sinh hoạt: hãy chuyển sinh hoạt hoặc hợp nhất trước khi giải thể.";
        if (successor is not null)
        {
            if (successor.Id == unit.Id || OrgPaths.IsWithin(successor.Path, path)) return "Đơn vị kế thừa phải nằm ngoài đơn vị bị giải thể.";
            if (successor.ClosedOn is not null) return $"{successor.Name} đã giải thể.";
            if (await YearGuard.IsClosedAsync(db, successor.Path, on.Year, ct)) return YearClosure.Message(on.Year);
        }
        if (await CheckDateAsync(db, unit, on, ct) is { } bad) return bad;
        var units = await db.OrgUnits.Where(u => u.Path.IsDescendantOf(path)).Select(u => u.Id).ToListAsync(ct);
        var owned = await CountYearRecordsAsync(db, units, on.Year, ct);
        if (owned > 0 && successor is null)
            return $"{unit.Name} còn {Vn.Number(owned)} bản ghi của năm {on.Year} (việc làm theo, kế hoạch tập thể, mô hình, học tập chuyên đề, vấn đề bức xúc…): hãy chọn đơn vị kế thừa hoặc hợp nhất thay vì giải thể.";
        if (successor is not null)
        {
            await MoveYearRecordsAsync(db, units, successor, on, $"Giải thể {unit.Name}, chuyển cho {successor.Name} từ ngày {Vn.Date(on)}", ct);
            unit.MergedIntoId = successor.Id;
        }
        unit.NoteForAudit(successor is null ? $"Giải thể từ ngày {Vn.Date(on)}" : $"Giải thể từ ngày {Vn.Date(on)}, kế thừa: {successor.Name} ({successor.Code})");
        await db.CloseAsync(unit, on, ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Records of the year (and later) owned by the units: pledges kept there and every other yearly record.</summary>
    private static async Task<int> CountYearRecordsAsync(AppDbContext db, List<int> units, int year, CancellationToken ct) =>
        await db.Pledges.CountAsync(p => units.Contains(p.BranchId) && p.Year >= year, ct)
        + await db.CollectivePledges.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.Models.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.ModelReplications.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.Commendations.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.StudySessions.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.PressingProblems.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.LeaderTasks.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct)
        + await db.IndicatorValues.CountAsync(x => units.Contains(x.OrgUnitId) && x.Year >= year, ct);

    /// <summary>
    /// Moves every record of <paramref name="year"/> and later from the units to <paramref name="to"/>, through EF so each
    /// change is audited and passes the year guard. Soft-deleted records move too (they stay deleted). An indicator of the same
    /// name and unit of measure joins the receiving unit's value (added, or for a rate averaged) and is deleted softly;
    /// one of another unit of measure moves under a name that says where it came from.
    /// </summary>
    private static async Task MoveYearRecordsAsync(AppDbContext db, List<int> units, OrgUnit to, DateOnly on, string note, CancellationToken ct)
    {
        var year = on.Year;
        foreach (var p in await db.Pledges.IgnoreQueryFilters().Where(p => units.Contains(p.BranchId) && p.Year >= year).ToListAsync(ct))
        {
            p.BranchId = to.Id;
            p.NoteForAudit(note);
        }
        foreach (var x in await db.CollectivePledges.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        foreach (var x in await db.Models.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        foreach (var x in await db.ModelReplications.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        foreach (var x in await db.Commendations.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        // Sessions already held stay with the unit that held them (its members were the ones expected) and count for
        // its successor in the roll-up; sessions from the effective date on move.
        foreach (var x in await db.StudySessions.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year && x.HeldOn >= on).ToListAsync(ct)) x.OrgUnitId = to.Id;
        foreach (var x in await db.PressingProblems.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        foreach (var x in await db.LeaderTasks.IgnoreQueryFilters().Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct)) x.OrgUnitId = to.Id;
        var theirs = await db.IndicatorValues.Where(x => x.OrgUnitId == to.Id && x.Year >= year).ToListAsync(ct);
        var names = await db.OrgUnits.Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        foreach (var x in await db.IndicatorValues.Where(x => units.Contains(x.OrgUnitId) && x.Year >= year).ToListAsync(ct))
        {
            if (theirs.FirstOrDefault(t => t.Year == x.Year && t.Name == x.Name) is { } same)
            {
                if (IndicatorRules.Combine(same.Value, same.Unit, x.Value, x.Unit) is { } combined)
                {
                    same.Value = combined;
                    x.DeletedAt = db.Clock.Now;   // kept, deleted softly: its value stays in the row and the audit
                    continue;
                }
                // Another unit of measure: never added (15 triệu đồng + 2.000.000 đồng); kept beside it under a name
                // that says where it came from.
                var from = $" ({names.GetValueOrDefault(x.OrgUnitId, "đơn vị cũ")})";
                x.Name = (x.Name.Length + from.Length <= 300 ? x.Name : x.Name[..Math.Max(0, 300 - from.Length)]) + from;
                x.OrgUnitId = to.Id;
                theirs.Add(x);
            }
            else
            {
                x.OrgUnitId = to.Id;
                theirs.Add(x);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
