using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// The member import could be used to learn, row by row, which card numbers exist outside the user's subtree. Each such
/// row gets the form's words that confirm nothing (CardNumbers), and the refusal is logged as the form logs it — with the
/// count, never the numbers.
/// </summary>
public sealed class CardNumberImportLogTests(AppFactory app) : IClassFixture<AppFactory>
{
    private sealed class Capture : ILogger
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }

    [Fact]
    public async Task Numbers_held_outside_the_user_s_sight_get_the_form_s_words_in_the_import_and_the_refusal_is_logged()
    {
        await app.DbAsync(async db =>
        {
            var tdp1 = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT-TDP1");
            var foreign = await db.Members.Where(m => m.Branch.Code == "TQ-TP-PT-TDP2" && m.CardNumber != null).OrderBy(m => m.Id).Select(m => m.CardNumber!).Take(2).ToListAsync();
            var own = await db.Members.Where(m => m.BranchId == tdp1.Id && m.CardNumber != null).OrderBy(m => m.Id).Select(m => m.CardNumber!).FirstAsync();
            var csv = string.Join(",", MemberImport.Columns) + "\n"
                + $"Đỗ Văn Một,01/01/1980,Nam,{foreign[0]},,,,,,\nĐỗ Văn Hai,01/01/1981,Nam,{foreign[1]},,,,,,\nĐỗ Văn Ba,01/01/1982,Nam,{own},,,,,,\nĐỗ Văn Bốn,01/01/1983,Nam,99887766,,,,,,\n";
            var log = new Capture();
            var visible = db.Members.Where(m => m.BranchId == tdp1.Id);
            var result = await MemberImport.ImportAsync(db, tdp1, visible, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "ds.csv", log, CancellationToken.None);

            Assert.False(result.Ok);
            foreach (var card in foreign)
            {
                var row = Assert.Single(result.Errors, e => e.Message.Contains(card));
                Assert.Contains(CardNumbers.Unusable(card)[1..].TrimEnd('.'), row.Message);
                Assert.DoesNotContain("đã có", row.Message);
            }
            Assert.Contains(result.Errors, e => e.Message.Contains(CardNumbers.TakenNearbyInFile(own)));
            var warning = Assert.Single(log.Warnings);
            Assert.Contains("2 card number", warning);
            Assert.Contains($"unit {tdp1.Id}", warning);
            Assert.DoesNotContain(foreign[0], warning);
        });
    }
}
