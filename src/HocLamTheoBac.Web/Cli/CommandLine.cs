using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// Verbs of the same executable (scripts/hlb). Without --as EMAIL a verb acts as the server's
/// operator over the whole tree and the audit log says so; with it, with that account's scope.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Cách dùng: hlb <lệnh> [tùy chọn]

          migrate                         áp dụng các migration còn thiếu
          migrate --script                in SQL idempotent cho DBA (không thay đổi gì)
          seed demo                       nạp dữ liệu mẫu (chỉ khi cơ sở dữ liệu còn trống)
          orgs                            in cây tổ chức: mã, loại, tên (thụt lề theo cấp)
          orgs add --code MÃ --name TÊN --kind LOẠI [--parent MÃ] [--from dd/mm/yyyy]
                                          thêm một đơn vị (không có --parent: đơn vị cấp cao nhất, chỉ người vận hành);
                                          LOẠI là mã loại tổ chức, ví dụ tinh-uy, dang-uy-phuong-xa, chi-bo-co-so
          import units FILE [--org MÃ]    nhập cây đơn vị từ .xlsx/.csv (mã, tên, loại, mã cấp trên, ngày thành lập;
                                          tất cả hoặc không gì); mã cấp trên để trống: đơn vị --org, hoặc cấp cao nhất
          orgs move MÃ --to MÃ_CẤP_TRÊN --on dd/mm/yyyy
                                          chuyển đơn vị (cả cấp dưới) về trực thuộc đơn vị khác
          orgs merge MÃ --into MÃ_TIẾP_NHẬN --on dd/mm/yyyy
                                          hợp nhất: đảng viên, đơn vị cấp dưới và mọi số liệu năm nay chuyển sang
          orgs close MÃ --on dd/mm/yyyy [--successor MÃ_KẾ_THỪA]
                                          giải thể (từ chối nếu còn đảng viên hoặc số liệu năm nay mà không có đơn vị kế thừa)
          users add --email E --role R --org MÃ [--password P] [--name TÊN] [--member-card SỐ_THẺ]
                                          tạo tài khoản và gán vai trò (admin|staff|secretary|member);
                                          vai trò member cần số thẻ để liên kết với hồ sơ đảng viên
          import members FILE --org MÃ    nhập đảng viên từ .xlsx/.csv (tất cả hoặc không gì)
          report --org MÃ --year NĂM --format pdf|xlsx|csv --out TỆP [--issued SỐ]
                                          xuất báo cáo năm (dự thảo theo số liệu hiện tại, hoặc bản đã ban hành số SỐ)
          report --org MÃ --years 2021-2025 --format pdf|xlsx|csv --out TỆP [--issued SỐ]
                                          xuất báo cáo sơ kết, tổng kết một giai đoạn (tối đa 10 năm)
          import pledges FILE --org MÃ --year NĂM
                                          nhập việc làm theo của một chi bộ từ .xlsx/.csv (tất cả hoặc không gì)
          seed synthetic --members N [--years Y] [--seed S] [--to NĂM] [--code MÃ]
                                          tạo một tỉnh tổng hợp (thử tải), thêm bên cạnh dữ liệu hiện có
                                          (công cụ riêng tools/HocLamTheoBac.Bench, chạy qua scripts/hlb)
          backup --out FILE               sao lưu toàn bộ cơ sở dữ liệu (pg_dump, chỉ người vận hành)
          restore FILE [--force]          phục hồi từ bản sao lưu (cơ sở dữ liệu đã có bảng: cần --force)
          agg check                       so số liệu tổng hợp với số đếm lại từ đầu (mã thoát 1 nếu có chênh lệch)
          agg rebuild                     đếm lại toàn bộ số liệu tổng hợp (chỉ người vận hành)
          ping                            kiểm tra kết nối cơ sở dữ liệu (khởi động như mọi lệnh, một truy vấn)

        Tùy chọn chung: --as EMAIL  thực hiện với phạm vi quyền của tài khoản đó.
        """;

    /// <summary>Any first word that is not a host option (--urls …) is a verb; unknown ones get the usage and exit 2.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && (!args[0].StartsWith('-') || args[0] == "--help");

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, IConfiguration? configuration = null, VietnamCalendar? clock = null, TextWriter? errors = null)
    {
        var o = output ?? Console.Out;
        var e = errors ?? Console.Error;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = ServiceSetup.Vietnamese;
        if (args[0] is "help" or "--help") { await o.WriteLineAsync(Usage); return 0; }
        try
        {
            var parsed = CliArgs.Parse(args.Skip(1), new HashSet<string> { "script", "if-empty", "force" });
            await using var host = CliHost.Create(configuration, clock);
            return await DispatchAsync(args[0], parsed, host, o);
        }
        catch (UsageException ex)
        {
            await e.WriteLineAsync(ex.Message);
            await e.WriteLineAsync(Usage);
            return 2;
        }
        catch (YearRecordsRefusedException ex)
        {
            await e.WriteLineAsync($"Lỗi: {ex.Message}");
            return 1;
        }
        catch (CliFailure ex)
        {
            await e.WriteLineAsync($"Lỗi: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is StartupException or NpgsqlException or TimeoutException)
        {
            await e.WriteLineAsync($"Lỗi: {Startup.OneLine(ex)}");
            return 1;
        }
    }

    private static async Task<int> DispatchAsync(string verb, CliArgs a, CliHost host, TextWriter o)
    {
        var ct = CancellationToken.None;
        switch (verb, a.Words.FirstOrDefault())
        {
            case ("migrate", null):
                a.Allow("script");
                await using (var db = ServiceSetup.NewOwnerContext(host.Services.GetRequiredService<IConfiguration>()))
                {
                    if (a.Has("script"))
                    {
                        var migrator = db.GetService<IMigrator>();
                        await o.WriteLineAsync(migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent));
                        return 0;
                    }
                    var pending = await db.MigrateAsync(ct, notify: message => Console.Error.WriteLine(message));
                    await o.WriteLineAsync(pending.Count == 0 ? "Cơ sở dữ liệu đã ở phiên bản mới nhất." : $"Đã áp dụng {pending.Count} migration: {string.Join(", ", pending)}");
                    return 0;
                }
            case ("seed", "demo"):
                a.Allow();
                await using (var scope = host.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    var seeded = await DemoSeeder.SeedIfEmptyAsync(db, scope.ServiceProvider, ct, withActivity: true);
                    await o.WriteLineAsync(seeded ? "Đã nạp dữ liệu mẫu." : "Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu.");
                    return 0;
                }
            case ("seed", "synthetic"):
                // Benchmark data lives outside the product (tools/HocLamTheoBac.Bench); scripts/hlb sends this verb there.
                throw new CliFailure("tỉnh tổng hợp là công cụ đo hiệu năng, không nằm trong chương trình chính: hãy chạy scripts/hlb seed synthetic … (tools/HocLamTheoBac.Bench).");
            case ("orgs", null):
                a.Allow();
                return await OrgsVerb.PrintAsync(host, a, o, ct);
            case ("orgs", "add"):
                a.Allow("code", "name", "kind", "parent", "from");
                return await OrgsAddVerb.AddAsync(host, a, o, ct);
            case ("import", "units"):
                a.Allow("org");
                return await ImportVerb.UnitsAsync(host, a, o, ct);
            case ("orgs", "move"):
                a.Allow("to", "on");
                return await RestructureVerb.RunAsync("move", host, a, o, ct);
            case ("orgs", "merge"):
                a.Allow("into", "on");
                return await RestructureVerb.RunAsync("merge", host, a, o, ct);
            case ("orgs", "close"):
                a.Allow("on", "successor");
                return await RestructureVerb.RunAsync("close", host, a, o, ct);
            case ("users", "add"):
                a.Allow("email", "role", "org", "password", "name", "member-card");
                return await UsersVerb.AddAsync(host, a, o, ct);
            case ("import", "members"):
                a.Allow("org");
                return await ImportVerb.MembersAsync(host, a, o, ct);
            case ("report", null):
                a.Allow("org", "year", "years", "format", "out", "issued");
                return await ReportVerb.RunAsync(host, a, o, ct);
            case ("import", "pledges"):
                a.Allow("org", "year");
                return await PledgesVerb.ImportAsync(host, a, o, ct);
            case ("backup", null):
                return await BackupVerb.BackupAsync(host, a, o, ct);
            case ("agg", "check"):
                a.Allow();
                return await AggVerb.CheckAsync(host, a, o, ct);
            case ("agg", "rebuild"):
                a.Allow();
                return await AggVerb.RebuildAsync(host, a, o, ct);
            case ("ping", null):
                a.Allow();
                return await PingVerb.RunAsync(host, a, o, ct);
            case ("restore", _):
                return await BackupVerb.RestoreAsync(host, a, o, ct);
            default:
                throw new UsageException($"Lệnh không hợp lệ: {verb} {string.Join(' ', a.Words)}".TrimEnd() + ".");
        }
    }
}
