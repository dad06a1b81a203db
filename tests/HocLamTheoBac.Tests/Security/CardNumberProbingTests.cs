using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13 (low): creating a member with a card number used in another branch said that the number existed, so a
/// secretary could probe the whole province. Now a number held outside the user's sight gets words that confirm nothing
/// (and never the holder); a number held inside it is still named as taken, which the secretary needs to sort it out.
/// </summary>
public sealed class CardNumberProbingTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<(string Name, string Card)> HolderAsync(string branchCode) =>
        app.DbAsync(async db => await db.Members.Where(m => m.Branch.Code == branchCode && m.CardNumber != null).OrderBy(m => m.Id)
            .Select(m => new ValueTuple<string, string>(m.FullName, m.CardNumber!)).FirstAsync());

    private async Task<string> CreateAsync(HttpClient client, int org, string card)
    {
        var r = await client.PostFormAsync($"/Members/Edit?org={org}",
            new() { ["Input.FullName"] = "Người Thử Số Thẻ", ["Input.CardNumber"] = card, ["Input.Status"] = "Active", ["Input.Version"] = "0" },
            getUrl: $"/Members/Edit?org={org}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_card_number_of_another_branch_gets_words_that_confirm_nothing_on_the_form_and_in_the_import()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var (foreignName, foreignCard) = await HolderAsync("TQ-TP-PT-TDP2");
        var (ownName, ownCard) = await HolderAsync("TQ-TP-PT-TDP1");
        var before = await app.DbAsync(db => db.Members.CountAsync());

        var foreign = await CreateAsync(secretary, tdp1, foreignCard);
        Assert.Contains(CardNumbers.Unusable(foreignCard), WebUtility.HtmlDecode(foreign));
        foreach (var leak in new[] { "đã được dùng", "đã có", "tồn tại", foreignName })
            Assert.DoesNotContain(leak, WebUtility.HtmlDecode(foreign));
        // Inside the secretary's branch the number is named as taken: they can open that record.
        var own = await CreateAsync(secretary, tdp1, ownCard);
        Assert.Contains(CardNumbers.TakenNearby(ownCard), WebUtility.HtmlDecode(own));

        var csv = string.Join(",", MemberImport.Columns) + "\nĐỗ Văn Thử,01/01/1980,Nam," + foreignCard + ",,,,,,\n";
        var page = await secretary.HtmlAsync($"/Members/Import?org={tdp1}");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent { { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", "ds.csv");
        var import = WebUtility.HtmlDecode(await (await secretary.PostAsync($"/Members/Import?org={tdp1}", form)).Content.ReadAsStringAsync());
        Assert.Contains($"không dùng được số thẻ đảng viên {foreignCard}", import);
        foreach (var leak in new[] { "đã có trong hệ thống", "đã được dùng", foreignName })
            Assert.DoesNotContain(leak, import);
        Assert.Equal(before, await app.DbAsync(db => db.Members.CountAsync()));

        // The province's administrator sees both branches: for them the number is named as taken.
        var admin = await app.SignedInAsync("admin@hlb.local");
        Assert.Contains(CardNumbers.TakenNearby(foreignCard), WebUtility.HtmlDecode(await CreateAsync(admin, tdp1, foreignCard)));
    }
}
