using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.StudySessions;

public sealed record ExpectedMember(int SessionId, int MemberId, string FullName, string BranchName, AttendanceStatus? Mark);

/// <summary>Who was expected at a unit's sessions (see <see cref="AttendanceRules"/>) and how each was marked, in one query.</summary>
public static class SessionQueries
{
    public static async Task<List<ExpectedMember>> ExpectedAsync(AppDbContext db, OrgUnit unit, IQueryable<StudySession> sessions, CancellationToken ct)
    {
        var branches = db.OrgUnits.Where(AccessService.InSubtree<OrgUnit>(u => u.Path, [unit.Path]));
        return await (
            from s in sessions
            from p in db.MemberBranchPeriods
            where p.ValidFrom <= s.HeldOn && (p.ValidTo == null || p.ValidTo > s.HeldOn)
            join b in branches on p.BranchId equals b.Id
            join m in db.Members on p.MemberId equals m.Id
            select new { SessionId = s.Id, MemberId = m.Id, m.FullName, b.Path, BranchName = b.Name })
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
