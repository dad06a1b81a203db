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
    /// <summary>One member expected at one session: the branch of the session's day and how the member was marked (null: no mark).</summary>
    public sealed class Expectation
    {
        public int SessionId { get; init; }
        public int MemberId { get; init; }
        public int BranchId { get; init; }
        public LTree BranchPath { get; init; }
        public AttendanceStatus? Mark { get; init; }
    }

    /// <summary>
    /// The one home of "who is expected at a session" (<see cref="AttendanceRules"/>): every member whose branch, on the
    /// session's day, lies in the subtree the holding unit had on that day. A query to compose: the attendance pages filter
    /// the sessions, the review sheet the members (PostgreSQL then starts from whichever side is small).
    /// </summary>
    public static IQueryable<Expectation> Expectations(AppDbContext db, IQueryable<StudySession> sessions) =>
        from s in sessions
        from h in db.OrgPlacements
        where h.OrgUnitId == s.OrgUnitId && h.ValidFrom <= s.HeldOn && (h.ValidTo == null || h.ValidTo > s.HeldOn)
        from bp in db.OrgPlacements
        where bp.Path.IsDescendantOf(h.Path) && bp.ValidFrom <= s.HeldOn && (bp.ValidTo == null || bp.ValidTo > s.HeldOn)
        from p in db.MemberBranchPeriods
        where p.BranchId == bp.OrgUnitId && p.ValidFrom <= s.HeldOn && (p.ValidTo == null || p.ValidTo > s.HeldOn)
        select new Expectation
        {
            SessionId = s.Id, MemberId = p.MemberId, BranchId = bp.OrgUnitId, BranchPath = bp.Path,
            Mark = db.Attendances.Where(a => a.SessionId == s.Id && a.MemberId == p.MemberId).Select(a => (AttendanceStatus?)a.Status).FirstOrDefault(),
        };

    public static async Task<List<ExpectedMember>> ExpectedAsync(AppDbContext db, IQueryable<StudySession> sessions, CancellationToken ct)
    {
        return await (
            from e in Expectations(db, sessions)
            join b in db.OrgUnits on e.BranchId equals b.Id
            join m in db.Members on e.MemberId equals m.Id
            select new { e.SessionId, e.MemberId, m.FullName, e.BranchPath, BranchName = b.Name, e.Mark })
            .OrderBy(x => x.BranchPath).ThenByName(x => x.FullName)
            .Select(x => new ExpectedMember(x.SessionId, x.MemberId, x.FullName, x.BranchName, x.Mark))
            .AsNoTracking().ToListAsync(ct);
    }

    public static Dictionary<int, AttendanceRules.Tally> Tallies(IEnumerable<ExpectedMember> rows) =>
        rows.GroupBy(r => r.SessionId).ToDictionary(
            g => g.Key,
            g => AttendanceRules.Count(g.Select(r => r.MemberId), g.Where(r => r.Mark is not null).GroupBy(r => r.MemberId).ToDictionary(x => x.Key, x => x.First().Mark!.Value)));
}
