using System.ComponentModel.DataAnnotations;
using System.Text;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Account;

/// <summary>Change one's password; turn on or off two-factor sign-in with an authenticator app (TOTP).</summary>
public sealed class ManageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, IUserStore<AppUser> store) : PageModel
{
    /// <summary>The QR code of <see cref="AuthenticatorUri"/> as a PNG data URI (img-src allows data:).</summary>
    public string? QrDataUri { get; private set; }
    public bool MustChangePassword { get; private set; }
    [BindProperty] public PasswordInput Password { get; set; } = new();
    [BindProperty] public string? Code { get; set; }
    /// <summary>The current password or a current authenticator code, asked before two-step sign-in is turned off.</summary>
    [BindProperty] public string? Proof { get; set; }
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
        if (user.MustChangePassword)
        {
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
        }
        await signIn.RefreshSignInAsync(user);
        TempData["StatusMessage"] = "Đã đổi mật khẩu.";
        return RedirectToPage();
    }

    /// <summary>
    /// Enrolment starts here, not on opening the page: the key is stored without touching the security
    /// stamp (ResetAuthenticatorKeyAsync would sign the user out on every device).
    /// </summary>
    public async Task<IActionResult> OnPostStart2faAsync()
    {
        var user = await LoadAsync();
        if (user is null) return NotFound();
        if (TwoFactorEnabled) return RedirectToPage();
        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            await ((IUserAuthenticatorKeyStore<AppUser>)store).SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), HttpContext.RequestAborted);
            await users.UpdateAsync(user);
        }
        return RedirectToPage(null, null, "tfa-h");
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
        // The stamp changed: other devices are signed out (SessionCheck); this one keeps its session.
        await signIn.RefreshSignInAsync(user);
        TempData["StatusMessage"] = "Đã bật xác thực hai bước.";
        return RedirectToPage();
    }

    /// <summary>
    /// Turning two-step sign-in off needs the current password or a current code (issue 13): a stolen session
    /// cookie alone cannot remove the second factor. Failures count towards the account's lockout like sign-ins.
    /// </summary>
    public async Task<IActionResult> OnPostDisable2faAsync()
    {
        var user = await LoadAsync();
        if (user is null) return NotFound();
        if (!TwoFactorEnabled) return RedirectToPage();
        ModelState.Clear();
        var proof = Proof ?? "";
        var code = proof.Replace(" ", "").Replace("-", "");
        var proven = !await users.IsLockedOutAsync(user) && proof.Length > 0 && proof.Length <= 200
            && ((code.Length == 6 && code.All(char.IsAsciiDigit) && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                || await users.CheckPasswordAsync(user, proof));
        if (!proven)
        {
            if (proof.Length > 0) await users.AccessFailedAsync(user);
            ModelState.AddModelError(nameof(Proof), "Để tắt xác thực hai bước, hãy nhập đúng mật khẩu hiện tại hoặc mã 6 chữ số đang hiện trên ứng dụng xác thực.");
            return Page();
        }
        await users.ResetAccessFailedCountAsync(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["StatusMessage"] = "Đã tắt xác thực hai bước.";
        return RedirectToPage();
    }

    private async Task<AppUser?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return null;
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        MustChangePassword = user.MustChangePassword;
        if (!TwoFactorEnabled && await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
        {
            AuthenticatorKey = string.Join(" ", Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();
            AuthenticatorUri = $"otpauth://totp/HocLamTheoBac:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer=HocLamTheoBac&digits=6";
            using var qr = QRCoder.QRCodeGenerator.GenerateQrCode(AuthenticatorUri, QRCoder.QRCodeGenerator.ECCLevel.M);
            QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new QRCoder.PngByteQRCode(qr).GetGraphic(5));
        }
        return user;
    }
}
