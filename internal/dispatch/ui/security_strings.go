package dispatchui

import "fyr/internal/web"

// Strings of the SMS reply-code guard (the channel page's list of numbers
// that sent wrong codes, the answer a blocked sender gets) and of what
// "opened" means on the coverage board.
func init() {
	web.AddMessages(map[string][2]string{
		"sms.guard.title": {"SMS-svar med fel kod", "SMS replies with a wrong code"},
		"sms.guard.intro": {"Efter 5 fel koder inom 15 minuter tas inga svar emot från numret i 15 minuter, sedan allt längre (högst ett dygn). Enheten kan ändå kvittera med länken eller per telefon.",
			"After 5 wrong codes within 15 minutes no replies are taken from the number for 15 minutes, then ever longer (at most a day). The unit can still acknowledge by the link or by phone."},
		"sms.guard.none":    {"Inga fel koder just nu.", "No wrong codes at the moment."},
		"sms.guard.number":  {"Nummer", "Number"},
		"sms.guard.wrong":   {"Fel koder", "Wrong codes"},
		"sms.guard.state":   {"Läge", "State"},
		"sms.guard.blocked": {"spärrat till", "refused until"},
		"sms.guard.watched": {"bevakas", "watched"},
		"dispatch.opened.means": {"”Öppnat”: någon på enheten har haft meddelandet framför sig, i Fyr eller på kvittenssidan. En länk som bara hämtats (det gör e-postfilter) räknas inte.",
			"“Opened”: someone at the unit has had the message in front of them, in Fyr or on the receipt page. A link merely fetched (mail filters do that) does not count."},
		// The answer the sender gets by SMS (always Swedish: the gateway does not say the language).
		"sms.blocked": {"Fyr: för många fel koder från det här numret, så svar med kod tas inte emot på en stund. Använd länken i SMS:et eller ring krisledningen.",
			"Fyr: too many wrong codes from this number, so replies with a code are not taken for a while. Use the link in the SMS or call the crisis staff."},
	})
}
