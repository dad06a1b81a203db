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
    [TempData] public string? StatusMessage { get; set; }
    public bool MustChangePassword { get; private set; }
    [BindProperty] public PasswordInput Password { get; set; } = new();
    [BindProperty] public string? Code { get; set; }
    /// <summary>The current password or a current authenticator code, asked before two-step sign-in is turned off.</summary>
    [BindProperty] public string? Proof { get; set; }
    /// <summary>The current password, asked before enrolling an authenticator (a stolen session cookie must not enrol the attacker's).</summary>
    [BindProperty] public string? CurrentPassword { get; set; }
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
        if (!await PasswordProvenAsync(user, Password.Current))
        {
            ModelState.AddModelError("Password.Current", WrongPassword);
            return Page();
        }
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
        StatusMessage = "Đã đổi mật khẩu.";
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
        ModelState.Clear();
        if (!await PasswordProvenAsync(user, CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), WrongPassword);
            return Page();
        }
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
        if (TwoFactorEnabled) return RedirectToPage();
        ModelState.Clear();
        if (!await PasswordProvenAsync(user, CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), WrongPassword);
            return Page();
        }
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực.");
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        // The stamp changed: other devices are signed out (SessionCheck); this one keeps its session.
        await signIn.RefreshSignInAsync(user);
        StatusMessage = "Đã bật xác thực hai bước.";
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
        StatusMessage = "Đã tắt xác thực hai bước.";
        return RedirectToPage();
    }

    /// <summary>The words for a wrong (or, while the account is locked, any) current password; they never say which.</summary>
    public const string WrongPassword = "Mật khẩu hiện tại không đúng. Nếu nhập sai nhiều lần, tài khoản sẽ bị tạm khóa như khi đăng nhập.";

    /// <summary>
    /// The current password asked on this page (password change, enrolling an authenticator; turning it off asks it or a
    /// code): refused while the account is locked out; a wrong one counts towards lockout exactly as a failed sign-in does
    /// (UserManager.AccessFailedAsync, locked after the same number of failures for the same time); a right one resets the count.
    /// </summary>
    private async Task<bool> PasswordProvenAsync(AppUser user, string? password)
    {
        if (await users.IsLockedOutAsync(user)) return false;
        if (string.IsNullOrEmpty(password) || password.Length > 200 || !await users.CheckPasswordAsync(user, password))
        {
            if (!string.IsNullOrEmpty(password)) await users.AccessFailedAsync(user);
            return false;
        }
        await users.ResetAccessFailedCountAsync(user);
        return true;
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
