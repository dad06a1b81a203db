using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13 (low) and 14: evidence files had no limit per pledge or member, uploads were not audited, files were
/// world-readable under the publish folder, and evidence could be attached only after reporting done and never removed.
/// </summary>
public sealed partial class EvidenceTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"u8.ToArray();

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, int pledgeId, byte[] bytes, string name = "bien-ban.pdf")
    {
        var page = await client.HtmlAsync($"/Pledges/Details/{pledgeId}");
        var form = new MultipartFormDataContent { { new StringContent(Token(page)), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        return await client.PostAsync($"/Pledges/Details/{pledgeId}?handler=Upload", form);
    }

    private static Task<HttpResponseMessage> RemoveAsync(HttpClient client, int pledgeId, int evidenceId) =>
        client.PostFormAsync($"/Pledges/Details/{pledgeId}?handler=RemoveEvidence&evidenceId={evidenceId}", [], getUrl: $"/Pledges/Details/{pledgeId}");

    private static string Token(string html) => WebUtility.HtmlDecode(TokenRegex().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    private Task<List<PledgeEvidence>> EvidenceOfAsync(int pledgeId) =>
        app.DbAsync(db => db.PledgeEvidence.AsNoTracking().Where(e => e.PledgeId == pledgeId).OrderBy(e => e.Id).ToListAsync());

    private string FullPath(string relative) =>
        app.Services.GetRequiredService<EvidenceStore>().FullPath(relative);

    [Fact]
    public async Task A_member_attaches_evidence_to_a_draft_and_removes_it_the_secretary_removes_too_each_step_audited_and_nothing_changes_once_verified()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.Draft, "Minh chứng từ lúc còn nháp");
        var member = await app.SignedInAsync("dangvien@hlb.local");
        var secretary = await app.SignedInAsync("bithu@hlb.local");

        // Before reporting done, even before approval.
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(member, id, Pdf, "anh-1.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(secretary, id, Pdf, "bien-ban.pdf")).StatusCode);
        var files = await EvidenceOfAsync(id);
        Assert.Equal(["anh-1.pdf", "bien-ban.pdf"], files.Select(f => f.FileName));
        Assert.All(files, f => Assert.True(File.Exists(FullPath(f.StoragePath))));
        var page = await member.HtmlAsync($"/Pledges/Details/{id}");
        Assert.Contains("handler=RemoveEvidence", page);

        // Another member of the branch sees nothing of it and cannot remove it.
        var neighbour = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await RemoveAsync(neighbour, id, files[0].Id)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await RemoveAsync(member, id, files[0].Id)).StatusCode);
        Assert.False(File.Exists(FullPath(files[0].StoragePath)));
        Assert.Equal(HttpStatusCode.Redirect, (await RemoveAsync(secretary, id, files[1].Id)).StatusCode);
        Assert.Empty(await EvidenceOfAsync(id));

        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "PledgeEvidence").OrderBy(a => a.Id).ToListAsync());
        var branch = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var added = Assert.Single(audit, a => a.EntityId == files[0].Id.ToString() && a.Action == "Thêm");
        Assert.Equal(("dangvien@hlb.local", branch), (added.Actor, added.OrgUnitId));
        Assert.Contains("anh-1.pdf", added.After);
        var removed = Assert.Single(audit, a => a.EntityId == files[0].Id.ToString() && a.Action == "Xóa");
        Assert.Equal(("dangvien@hlb.local", branch), (removed.Actor, removed.OrgUnitId));
        using (var before = JsonDocument.Parse(removed.Before!))
            Assert.Equal(("anh-1.pdf", Pdf.Length), (before.RootElement.GetProperty("FileName").GetString(), before.RootElement.GetProperty("Size").GetInt32()));
        Assert.Contains(audit, a => a.EntityId == files[1].Id.ToString() && a.Action == "Xóa" && a.Actor == "bithu@hlb.local");
        // Filed under the branch: its administrators see them on the audit page.
        var ward = await app.SignedInAsync("admin@hlb.local");
        Assert.Contains("anh-1.pdf", await ward.HtmlAsync("/Audit?Entity=PledgeEvidence"));

        // Once the branch has judged the pledge, its evidence is frozen for everyone.
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(member, id, Pdf, "giu-lai.pdf")).StatusCode);
        await app.DbAsync(async db =>
        {
            var p = await db.Pledges.SingleAsync(x => x.Id == id);
            p.Status = PledgeStatus.Done;
            p.VerifiedAt = TestClock.Calendar.Now;
            await db.SaveChangesAsync();
        });
        var kept = Assert.Single(await EvidenceOfAsync(id));
        foreach (var who in new[] { member, secretary })
        {
            var refusedRemove = await RemoveAsync(who, id, kept.Id);
            Assert.Equal(HttpStatusCode.BadRequest, refusedRemove.StatusCode);
            Assert.Contains("Không thể gỡ minh chứng khi việc làm theo đang ở trạng thái “Hoàn thành”", await refusedRemove.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(who, id, Pdf)).StatusCode);
        }
        Assert.DoesNotContain("handler=RemoveEvidence", await member.HtmlAsync($"/Pledges/Details/{id}"));
        Assert.Single(await EvidenceOfAsync(id));
        Assert.True(File.Exists(FullPath(kept.StoragePath)));
    }

    [Fact]
    public async Task A_pledge_holds_at_most_five_files_and_a_member_at_most_50_MB_a_year()
    {
        var members = await app.MembersAsync("TQ-TP-PT-TDP1");
        var owner = members[^1].Id;
        var id = await app.AddPledgeAsync(owner, PledgeStatus.InProgress, "Năm tệp là đủ");
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        for (var i = 1; i <= EvidenceLimits.FilesPerPledge; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(secretary, id, Pdf, $"tep-{i}.pdf")).StatusCode);
        var sixth = await UploadAsync(secretary, id, Pdf, "tep-6.pdf");
        Assert.Equal(HttpStatusCode.OK, sixth.StatusCode);
        Assert.Contains("Mỗi việc làm theo có tối đa 5 tệp minh chứng", await sixth.Content.ReadAsStringAsync());
        Assert.Equal(5, (await EvidenceOfAsync(id)).Count);

        // 49 MB already on the member's other pledges of the year: 2 MB more is refused, a file on another member's pledge is not.
        var other = await app.AddPledgeAsync(owner, PledgeStatus.Approved, "Việc thứ hai");
        var heavy = await app.AddPledgeAsync(owner, PledgeStatus.Approved, "Việc đã có nhiều minh chứng");
        await app.DbAsync(async db =>
        {
            db.PledgeEvidence.Add(new PledgeEvidence { PledgeId = heavy, FileName = "lon.pdf", ContentType = "application/pdf", Size = 49L * 1024 * 1024, StoragePath = "2026/khong-co.pdf", UploadedAt = TestClock.Calendar.Now });
            await db.SaveChangesAsync();
        });
        var two = new byte[2 * 1024 * 1024];
        Pdf.CopyTo(two, 0);
        var over = await UploadAsync(secretary, other, two, "hai-mb.pdf");
        Assert.Equal(HttpStatusCode.OK, over.StatusCode);
        Assert.Contains($"Tổng dung lượng minh chứng của một đảng viên trong năm {TestClock.Year} tối đa 50 MB", await over.Content.ReadAsStringAsync());
        Assert.Empty(await EvidenceOfAsync(other));
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(secretary, other, Pdf, "nho.pdf")).StatusCode);
        var someoneElse = await app.AddPledgeAsync(members[^2].Id, PledgeStatus.Approved, "Của người khác");
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(secretary, someoneElse, two, "hai-mb.pdf")).StatusCode);
    }

    [Fact]
    public async Task Files_are_written_0600_in_private_folders_outside_the_site_and_reach_users_only_through_the_handler()
    {
        var me = await app.DemoMemberIdAsync();
        var id = await app.AddPledgeAsync(me, PledgeStatus.Approved, "Tệp riêng tư");
        var member = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(member, id, Pdf)).StatusCode);
        var ev = Assert.Single(await EvidenceOfAsync(id));
        var full = FullPath(ev.StoragePath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(full));
        var store = app.Services.GetRequiredService<EvidenceStore>();
        for (var dir = Path.GetDirectoryName(full)!; dir.Length >= store.Root.Length; dir = Path.GetDirectoryName(dir)!)
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        var env = app.Services.GetRequiredService<IWebHostEnvironment>();
        Assert.False(full.StartsWith(env.ContentRootPath, StringComparison.Ordinal));

        // Not as a static file under any name; only the handler serves it, as an attachment.
        foreach (var url in new[] { "/" + ev.StoragePath, "/uploads/" + ev.StoragePath, "/App_Data/uploads/" + ev.StoragePath })
            Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(url)).StatusCode);
        var download = await member.GetAsync($"/Pledges/Evidence/{ev.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(HttpStatusCode.Redirect, (await app.NewClient().GetAsync($"/Pledges/Evidence/{ev.Id}")).StatusCode);
    }

    [Fact]
    public void The_evidence_folder_is_never_inside_the_published_site_and_defaults_outside_it()
    {
        var env = app.Services.GetRequiredService<IWebHostEnvironment>();
        IConfiguration Config(string? uploads) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Uploads"] = uploads }).Build();
        foreach (var inside in new[] { "App_Data/uploads", "wwwroot/uploads", Path.Combine(AppContext.BaseDirectory, "uploads") })
        {
            var refused = Assert.Throws<HocLamTheoBac.Web.Data.StartupException>(() => new EvidenceStore(Config(inside), env));
            Assert.Contains("nằm trong thư mục chương trình", refused.Message);
        }
        var byDefault = new EvidenceStore(Config(null), env).Root;
        Assert.False(byDefault.StartsWith(env.ContentRootPath, StringComparison.Ordinal));
        Assert.False(byDefault.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal));
        var home = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HLB_HOME"] = "/var/lib/hlb-test" }).Build();
        Assert.Equal("/var/lib/hlb-test/uploads", new EvidenceStore(home, env).Root);
    }
}
