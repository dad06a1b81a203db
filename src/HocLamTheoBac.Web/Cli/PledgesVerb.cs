using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

/// <summary><c>hlb import pledges FILE --org CODE --year Y</c>: the same all-or-nothing import as the page.</summary>
internal static class PledgesVerb
{
    public static async Task<int> ImportAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var file = a.Words.ElementAtOrDefault(1) ?? throw new UsageException("Thiếu đường dẫn tệp cần nhập.");
        var code = a.Required("org");
        var year = a.RequiredInt("year");
        if (!File.Exists(file)) throw new CliFailure($"không tìm thấy tệp {file}.");
        var (scope, db, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var unit = await access.PledgeBranches(user).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null)
            throw new CliFailure($"không có chi bộ mã {code} trong phạm vi quyền nhập việc làm theo.");
        if (!unit.Kind.IsBranch) throw new CliFailure($"{unit.Name} không phải chi bộ: việc làm theo được nhập cho từng chi bộ.");
        // A file on the server, read by its operator: streamed within the server bounds (rows cost time, not memory).
        PledgeImport.Result result;
        try
        {
            await using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = TabularFile.Open(s, file, TabularFile.Limits.Server);
            result = await PledgeImport.ImportAsync(db, unit, year, reader.Header, reader.Rows, ct);
        }
        catch (FormatException ex) { throw new CliFailure(ex.Message); }
        if (!result.Ok)
        {
            foreach (var e in result.Errors) await Console.Error.WriteLineAsync(e);
            throw new CliFailure(result.FailedRows > 0 ? $"tệp có {Vn.Number(result.FailedRows)} dòng lỗi; chưa nhập dòng nào." : "chưa nhập dòng nào.");
        }
        await o.WriteLineAsync($"Đã nhập {Vn.Number(result.Imported)} việc làm theo năm {year} cho {unit.Name}.");
        return 0;
    }
}
