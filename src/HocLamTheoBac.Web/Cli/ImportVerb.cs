using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

internal static class ImportVerb
{
    public static async Task<int> MembersAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        if (a.Words.Count != 2) throw new UsageException("Cần đúng một tệp: hlb import members FILE --org MÃ.");
        var file = a.Words[1];
        var code = a.Required("org");
        if (!File.Exists(file)) throw new CliFailure($"không có tệp {file}.");
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var unit = await access.Units(user, Permission.EditMembers).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct)
                   ?? throw new CliFailure($"không tìm thấy đơn vị mã {code} trong phạm vi quyền.");
        await using var stream = File.OpenRead(file);
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HocLamTheoBac.Web.Cli.ImportVerb");
        var result = await MemberImport.ImportAsync(db, unit, access.Members(user, Permission.ViewMembers), stream, file, log, ct, TabularFile.Limits.Server);
        if (!result.Ok)
        {
            foreach (var e in result.Errors) await Console.Error.WriteLineAsync(e.Line == 0 ? e.Message : $"Dòng {e.Line}: {e.Message}");
            throw new CliFailure(result.FileRefused ? "chưa nhập đảng viên nào." : $"tệp có {Vn.Number(result.FailedRows)} dòng lỗi; chưa nhập đảng viên nào.");
        }
        await o.WriteLineAsync($"Đã nhập {Vn.Number(result.Imported)} đảng viên vào {unit.Name}.");
        return 0;
    }

    public static async Task<int> UnitsAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        if (a.Words.Count != 2) throw new UsageException("Cần đúng một tệp: hlb import units FILE [--org MÃ].");
        var file = a.Words[1];
        if (!File.Exists(file)) throw new CliFailure($"không có tệp {file}.");
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        Web.Domain.OrgUnit? root = null;
        if (a.Get("org") is { } code)
            root = await access.Units(user, Permission.ManageOrgs).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct)
                   ?? throw new CliFailure($"không tìm thấy đơn vị mã {code} trong phạm vi quyền quản lý tổ chức.");
        await using var stream = File.OpenRead(file);
        var result = await Pages.Orgs.UnitImport.ImportAsync(db, access, user, root, stream, file, db.Clock.Today, ct);
        if (!result.Ok)
        {
            foreach (var e in result.Errors) await Console.Error.WriteLineAsync(e.Line == 0 ? e.Message : $"Dòng {e.Line}: {e.Message}");
            throw new CliFailure(result.FileRefused ? "chưa nhập đơn vị nào." : $"tệp có {Vn.Number(result.Errors.Count)} dòng lỗi; chưa nhập đơn vị nào.");
        }
        await o.WriteLineAsync(result.Summary(root?.Name));
        return 0;
    }
}
