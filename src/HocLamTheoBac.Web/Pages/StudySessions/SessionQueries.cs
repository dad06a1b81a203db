using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.StudySessions;

public sealed record ExpectedMember(int SessionId, int MemberId, string FullName, string BranchName, AttendanceStatus? Mark);

/// <summary>
/// Who was expected at sessions (see <see cref="AttendanceRules"/>) and how each was marked, in one query. The tree is the
/// session day's (placements covering it), as the aggregates count it: a restructuring after the session leaves its
/// figures and its list as they were.
/// </summary>
public static class SessionQueries
{
    public static async Task<List<ExpectedMember>> ExpectedAsync(AppDbContext db, IQueryable<StudySession> sessions, CancellationToken ct)
    {
        return await (
            from s in sessions
            from h in db.OrgPlacements
            where h.OrgUnitId == s.OrgUnitId && h.ValidFrom <= s.HeldOn && (h.ValidTo == null || h.ValidTo > s.HeldOn)
            from bp in db.OrgPlacements
            where bp.Path.IsDescendantOf(h.Path) && bp.ValidFrom <= s.HeldOn && (bp.ValidTo == null || bp.ValidTo > s.HeldOn)
            from p in db.MemberBranchPeriods
            where p.BranchId == bp.OrgUnitId && p.ValidFrom <= s.HeldOn && (p.ValidTo == null || p.ValidTo > s.HeldOn)
            join b in db.OrgUnits on p.BranchId equals b.Id
            join m in db.Members on p.MemberId equals m.Id
            select new { SessionId = s.Id, MemberId = m.Id, m.FullName, bp.Path, BranchName = b.Name })
            .OrderBy(x => x.Path).ThenByName(x => x.FullName)
            .Select(x => new ExpectedMember(x.SessionId, x.MemberId, x.FullName, x.BranchName,
                db.Attendances.Where(a => a.SessionId == x.SessionId && a.MemberId == x.MemberId).Select(a => (AttendanceStatus?)a.Status).FirstOrDefault()))
            .AsNoTracking().ToListAsync(ct);
    }

    public static Dictionary<int, AttendanceRules.Tally> Tallies(IEnumerable<ExpectedMember> rows) =>
        rows.GroupBy(r => r.SessionId).ToDictionary(
            g => g.Key,
            g => AttendanceRules.Count(g.Select(r => r.MemberId), g.Where(r => r.Mark is not null).GroupBy(r => r.MemberId).ToDictionary(x => x.Key, x => x.First().Mark!.Value)));
}
