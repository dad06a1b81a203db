using System.Net;
using AngleSharp.Html.Parser;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Pages.Shared;

/// <summary>
/// Found by the walks of sessions 8–9: a pledge whose content was only zero-width spaces was saved (it shows as an empty
/// line), and a search box holding one combining accent (U+0301) listed every unit as "results". Text that shows
/// nothing now counts as empty in every form (one binder, Infrastructure/BlankTextBinder.cs) with the form's own
/// Vietnamese "required" message, and as an empty search; real text keeps those characters exactly as typed.
/// </summary>
public sealed class InvisibleTextTests(AppFactory app) : IClassFixture<AppFactory>
{
    public static readonly TheoryData<string> Invisible =
    [
        "\u200B", "\u200C\u200D", "\uFEFF", "\u2060", " \u200B \u00A0\u200B\t", "\u0301", "\u200B\u0301 ",
    ];

    [Theory]
    [MemberData(nameof(Invisible))]
    public async Task A_pledge_edited_to_invisible_characters_only_is_refused_with_the_required_message_and_keeps_its_content(string content)
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[20].Id, PledgeStatus.Submitted, "Nội dung trước khi sửa");
        var v = (await app.PledgeAsync(id)).Version;
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Pledges/Details/{id}?handler=Edit",
            new() { ["Input.Version"] = v.ToString(), ["Input.Content"] = content, ["Input.Solution"] = "", ["Input.Deadline"] = "" }, $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = new HtmlParser().ParseDocument(await r.Content.ReadAsStringAsync());
        Assert.Contains("Vui lòng nhập nội dung việc làm theo.", doc.Body!.TextContent);
        Assert.Equal("true", doc.QuerySelector("[name='Input.Content']")!.GetAttribute("aria-invalid"));
        Assert.Equal("Nội dung trước khi sửa", (await app.PledgeAsync(id)).Content);
    }

    [Fact]
    public async Task Real_text_keeps_a_zero_width_character_inside_it_exactly_as_typed()
    {
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var id = await app.AddPledgeAsync(m[21].Id, PledgeStatus.Submitted, "Nội dung trước khi sửa");
        var v = (await app.PledgeAsync(id)).Version;
        var client = await app.SignedInAsync("bithu@hlb.local");
        const string typed = "Trồng\u200Bcây xanh ở khu\u00A0phố";
        var r = await client.PostFormAsync($"/Pledges/Details/{id}?handler=Edit",
            new() { ["Input.Version"] = v.ToString(), ["Input.Content"] = typed, ["Input.Solution"] = "\u200B", ["Input.Deadline"] = "" }, $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var saved = await app.PledgeAsync(id);
        Assert.Equal((typed, (string?)null), (saved.Content, saved.Solution)); // an invisible optional field is stored as empty
    }

    [Fact]
    public async Task Another_required_field_a_pressing_problem_s_title_gives_its_own_message_for_invisible_text()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Problems/Edit?unitId={pt}&year=2025", new()
        {
            ["Input.Title"] = "\u200B\u200C\u200D\uFEFF\u2060", ["Input.Owner"] = "Phó Bí thư", ["Input.Deadline"] = "", ["Input.Outcome"] = "1",
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Vui lòng nhập nội dung vấn đề.", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.PressingProblems.CountAsync(p => p.Owner == "Phó Bí thư")));
    }

    [Theory]
    [InlineData("\u0301")]
    [InlineData("\u200B")]
    [InlineData(" \u0300\u0303 ")]
    public async Task A_search_of_only_a_combining_mark_or_invisible_characters_is_an_empty_search_not_every_unit(string q)
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var empty = new HtmlParser().ParseDocument(await client.HtmlAsync("/Orgs"));
        var searched = new HtmlParser().ParseDocument(await client.HtmlAsync("/Orgs?q=" + Uri.EscapeDataString(q)));
        Assert.DoesNotContain("Kết quả tìm", searched.QuerySelector("main")!.TextContent);
        Assert.Equal(empty.QuerySelector("main")!.QuerySelectorAll("a").Length, searched.QuerySelector("main")!.QuerySelectorAll("a").Length);
        // A real search with an accent still searches.
        var real = await client.HtmlAsync("/Orgs?q=" + Uri.EscapeDataString("phan thie\u0301t"));
        Assert.Contains("Kết quả tìm", WebUtility.HtmlDecode(real));
    }

    [Fact]
    public async Task A_pledge_typed_with_combining_accents_is_stored_composed_and_hinted_as_the_same_text_as_another_member_s()
    {
        // The attack walk of session 10: a keyboard that sends "ướ" as letters plus combining marks (NFD) made a copy of
        // another member's pledge that the hints did not see (similarity 0,25 against the composed text).
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        const string text = "Hướng dẫn 12 hộ gia đình trồng rau an toàn theo tiêu chuẩn VietGAP trong quý IV";
        await app.AddPledgeAsync(m[22].Id, PledgeStatus.Submitted, text);
        var id = await app.AddPledgeAsync(m[23].Id, PledgeStatus.Submitted, "Nội dung trước khi sửa");
        var v = (await app.PledgeAsync(id)).Version;
        var client = await app.SignedInAsync("bithu@hlb.local");
        var decomposed = text.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(text, decomposed);
        var r = await client.PostFormAsync($"/Pledges/Details/{id}?handler=Edit",
            new() { ["Input.Version"] = v.ToString(), ["Input.Content"] = decomposed, ["Input.Solution"] = "", ["Input.Deadline"] = "" }, $"/Pledges/Details/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(text, (await app.PledgeAsync(id)).Content);
        var hints = await app.DbAsync(db => HocLamTheoBac.Web.Pages.Pledges.Hints.PledgeHintQuery.ForPledgesAsync(db, [id],
            PledgeHints.DefaultSimilarity, CancellationToken.None));
        Assert.Contains(PledgeHint.SameAsOtherMember, hints[id]);
    }

    [Fact]
    public async Task A_password_is_never_recomposed_so_one_set_with_combining_accents_still_signs_in()
    {
        // A password's hash was made from the characters typed; composing them at sign-in would lock its owner out.
        const string password = "Mật khẩu đủ dài 2026";
        var decomposed = password.Normalize(System.Text.NormalizationForm.FormD);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("bithu2@hlb.local"))!;
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Assert.True((await users.ResetPasswordAsync(user, token, decomposed)).Succeeded);
        }
        await app.SignedInAsync("bithu2@hlb.local", decomposed);
    }
}
