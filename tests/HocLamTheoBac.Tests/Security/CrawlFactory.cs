using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>The demo data plus one record of each kind the demo leaves empty, so every detail page has something to show.</summary>
public class CrawlFactory : AppFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedExtrasAsync(this);
    }

    /// <summary>The records the demo leaves empty (also used by the browser crawl's fixture).</summary>
    public static async Task SeedExtrasAsync(AppFactory app)
    {
        var services = app.Services;
        await app.DbAsync(async db =>
        {
            var branch = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT-TDP1");
            var year = TestClock.Year;
            if (!await db.Models.AnyAsync())
                db.Models.Add(new ExemplaryModel { OrgUnitId = branch.Id, Year = year, Kind = ExemplaryModelKind.Collective, Title = "Mô hình kiểm thử", Field = "Văn hóa" });
            if (!await db.StudySessions.AnyAsync())
                db.StudySessions.Add(new StudySession { OrgUnitId = branch.Id, Year = year, HeldOn = new DateOnly(year, 3, 10), Theme = "Chuyên đề kiểm thử" });
            if (!await db.Pledges.AnyAsync())
            {
                var member = await db.Members.FirstAsync(m => m.BranchId == branch.Id);
                var pledge = new Pledge { MemberId = member.Id, BranchId = branch.Id, Year = year, Content = "Việc làm theo kiểm thử", Status = PledgeStatus.ReportedDone, EvidenceNote = "Đã làm" };
                db.Pledges.Add(pledge);
                await db.SaveChangesAsync();
                var store = new EvidenceStore(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IWebHostEnvironment>());
                var relative = Path.Combine("crawl", $"{Guid.NewGuid():N}.pdf");
                Directory.CreateDirectory(Path.GetDirectoryName(store.FullPath(relative))!);
                await File.WriteAllBytesAsync(store.FullPath(relative), "%PDF-1.4\n%%EOF\n"u8.ToArray());
                db.PledgeEvidence.Add(new PledgeEvidence { PledgeId = pledge.Id, FileName = "minh-chung.pdf", ContentType = "application/pdf", Size = 15, StoragePath = relative, UploadedAt = TestClock.Calendar.Now });
            }
            await db.SaveChangesAsync();
        });
    }
}
