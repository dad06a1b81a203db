using System.ComponentModel.DataAnnotations;
using System.Text;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Account;

/// <summary>Change one's password; turn on or off two-factor sign-in with an authenticator app (TOTP).</summary>
public sealed class ManageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public PasswordInput Password { get; set; } = new();
    [BindProperty] public string? Code { get; set; }
    public bool TwoFactorEnabled { get; private set; }
    public string? AuthenticatorKey { get; private set; }
    public string? AuthenticatorUri { get; private set; }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Vui lòng nhập mật khẩu hiện tại."), DataType(DataType.Password)] public string Current { get; set; } = "";
        [Required(ErrorMessage = "Vui lòng nhập mật khẩu mới."), DataType(DataType.Password), StringLength(200, MinimumLength = 10, ErrorMessage = "Mật khẩu mới phải có từ 10 ký tự.")] public string New { get; set; } = "";
        [Required(ErrorMessage = "Vui lòng nhập lại mật khẩu mới."), DataType(DataType.Password), Compare(nameof(New), ErrorMessage = "Hai lần nhập mật khẩu mới không khớp.")] public string Confirm { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var user = await LoadAsync();
        if (user is null) return NotFound();
        ModelState.Remove(nameof(Code));
        if (!ModelState.IsValid) return Page();
        var result = await users.ChangePasswordAsync(user, Password.Current, Password.New);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors) ModelState.AddModelError(string.Empty, e.Description);
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        TempData["StatusMessage"] = "Đã đổi mật khẩu.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnable2faAsync()
    {
        var user = await LoadAsync();
        if (user is null) return NotFound();
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực.");
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        TempData["StatusMessage"] = "Đã bật xác thực hai bước.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisable2faAsync()
    {
        var user = await LoadAsync();
        if (user is null) return NotFound();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        TempData["StatusMessage"] = "Đã tắt xác thực hai bước.";
        return RedirectToPage();
    }

    private async Task<AppUser?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return null;
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        if (!TwoFactorEnabled)
        {
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
            }
            AuthenticatorKey = string.Join(" ", Enumerable.Range(0, (key!.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();
            AuthenticatorUri = $"otpauth://totp/HocLamTheoBac:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer=HocLamTheoBac&digits=6";
        }
        return user;
    }
}
