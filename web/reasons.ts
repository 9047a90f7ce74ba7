/**
 * The workflow and the application layer give their reasons in English (a contract with API callers, and
 * the same text in every log). On a Vietnamese page each known reason is shown in Vietnamese; an unknown one
 * as it is, so nothing is ever hidden.
 */
import type { Language, Role } from '../domain/lists.js';

const ROLE_VI: Record<Role, string> = { leader: 'lãnh đạo', officer: 'cán bộ', supervisor: 'cơ quan theo dõi, đôn đốc', admin: 'quản trị viên', oversight: 'cơ quan kiểm tra, giám sát' };
const roles = (list: string) =>
  list
    .split(/, | or /)
    .map((r) => ROLE_VI[r as Role] ?? r)
    .join(' hoặc ');

const STATUS_VI: Record<string, string> = { completed: 'hoàn thành', cancelled: 'bị hủy' };

const VI: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Your agency is not assigned to this directive\.$/, () => 'Cơ quan của bạn không được giao nhiệm vụ này.'],
  [/^Your agency has already acknowledged this directive\.$/, () => 'Cơ quan của bạn đã xác nhận nhiệm vụ này rồi.'],
  [/^A report needs a summary\.$/, () => 'Báo cáo cần có nội dung.'],
  [/^A text given is longer than (\S+) characters\.$/, (m) => `Nội dung quá dài: tối đa ${m[1]} ký tự.`],
  [/^No reporting period "(.+)" for this directive\.$/, (m) => `Nhiệm vụ không có kỳ báo cáo "${m[1]}".`],
  [/^Your agency has already reported for this period\.$/, () => 'Cơ quan của bạn đã gửi báo cáo cho kỳ này rồi.'],
  [/^Only the lead agency may .+; coordinating agencies report their part\.$/, () => 'Chỉ cơ quan chủ trì được làm việc này; cơ quan phối hợp báo cáo phần việc của mình.'],
  [/^Only the lead agency may .+\.$/, () => 'Chỉ cơ quan chủ trì được làm việc này.'],
  [/^Completion is under review\.$/, () => 'Báo cáo hoàn thành đang chờ xác nhận.'],
  [/^Completion is already under review\.$/, () => 'Báo cáo hoàn thành đã được gửi và đang chờ xác nhận.'],
  [/^A standing directive has no deadline to extend\.$/, () => 'Nhiệm vụ thường xuyên không có hạn để gia hạn.'],
  [/^An extension request needs a reason\.$/, () => 'Đề nghị gia hạn cần nêu lý do.'],
  [/^Give the proposed deadline as a date or an instant\.$/, () => 'Cần nêu hạn đề nghị: một ngày hoặc một thời điểm.'],
  [/^The proposed deadline must be later than the one in force\.$/, () => 'Hạn đề nghị phải muộn hơn hạn đang áp dụng.'],
  [/^An extension request is already awaiting a decision\.$/, () => 'Đã có một đề nghị gia hạn đang chờ quyết định.'],
  [/^This agency has already been merged\.$/, () => 'Cơ quan này đã được sáp nhập.'],
  [/^An agency cannot be merged into itself\.$/, () => 'Không thể sáp nhập một cơ quan vào chính nó.'],
  [/^The successor must be an active agency that has not been merged itself\.$/, () => 'Cơ quan tiếp nhận phải đang hoạt động và chưa bị sáp nhập.'],
  [/^Sub-tasks are still open: confirm that they close with this directive, with a note\.$/, () => 'Còn nhiệm vụ con chưa hoàn thành: hãy xác nhận đóng chúng cùng nhiệm vụ này, kèm ghi chú.'],
  [/^A sub-task is not split further\.$/, () => 'Nhiệm vụ con không được chia tiếp.'],
  [/^Give between 1 and 50 sub-tasks\.$/, () => 'Giao từ 1 đến 50 nhiệm vụ con.'],
  [/^A sub-task with this id exists already\.$/, () => 'Nhiệm vụ con này đã có.'],
  [/^A sub-task needs a title\.$/, () => 'Nhiệm vụ con cần có nội dung.'],
  [/^A sub-task goes to a sub-unit of the lead agency or to a named officer of it\.$/, () => 'Nhiệm vụ con giao cho một đơn vị trực thuộc hoặc một cán bộ của cơ quan chủ trì.'],
  [/^A sub-task is due no later than its directive's final deadline\.$/, () => 'Hạn của nhiệm vụ con không muộn hơn hạn hoàn thành của nhiệm vụ.'],
  [/^The sub-tasks cannot be given as asked\.$/, () => 'Không giao được nhiệm vụ con như đề nghị (hạn đã qua, hoặc không phải đơn vị trực thuộc).'],
  [/^Readers are named for a confidential directive only\.$/, () => 'Chỉ nhiệm vụ mật mới có người được chỉ định xem.'],
  [/^Only the leader who issued it names its readers\.$/, () => 'Chỉ lãnh đạo giao nhiệm vụ mới chỉ định người được xem.'],
  [/^An attachment names its id, SHA-256 and size\.$/, () => 'Tài liệu đính kèm phải có mã, mã băm SHA-256 và kích thước.'],
  [/^An attachment is a source document, a report, a completion or an explanation\.$/, () => 'Tài liệu đính kèm là văn bản giao nhiệm vụ, báo cáo, báo cáo hoàn thành hoặc giải trình.'],
  [/^An explanation request needs a question\.$/, () => 'Yêu cầu giải trình cần nêu nội dung.'],
  [/^Give the answer's deadline as a date or an instant\.$/, () => 'Cần nêu hạn gửi giải trình: một ngày hoặc một thời điểm.'],
  [/^The answer must be due later than now\.$/, () => 'Hạn gửi giải trình phải sau thời điểm hiện tại.'],
  [/^No deadline "(.+)" for this directive\.$/, (m) => `Nhiệm vụ không có hạn "${m[1]}".`],
  [/^That agency does not owe this item\.$/, () => 'Cơ quan này không có trách nhiệm với nội dung đó.'],
  [/^The item is not overdue for that agency\.$/, () => 'Cơ quan đó không chậm đối với nội dung này.'],
  [/^That agency is already asked to explain this item\.$/, () => 'Cơ quan này đã được yêu cầu giải trình nội dung này.'],
  [/^A directive holds at most (.+) explanation requests\.$/, (m) => `Mỗi nhiệm vụ có tối đa ${m[1]} yêu cầu giải trình.`],
  [/^No explanation request "(.+)"\.$/, (m) => `Không có yêu cầu giải trình "${m[1]}".`],
  [/^Only the agency asked may answer this explanation request\.$/, () => 'Chỉ cơ quan được yêu cầu mới gửi giải trình.'],
  [/^This explanation request is closed\.$/, () => 'Yêu cầu giải trình này đã kết thúc.'],
  [/^This explanation request has already been answered\.$/, () => 'Yêu cầu giải trình này đã được trả lời.'],
  [/^An explanation needs a text\.$/, () => 'Giải trình cần có nội dung.'],
  [/^An explanation names at most 20 attached files\.$/, () => 'Giải trình kèm theo tối đa 20 tệp.'],
  [/^This explanation request is already closed\.$/, () => 'Yêu cầu giải trình này đã được kết luận.'],
  [/^An explanation not yet given cannot be accepted\.$/, () => 'Chưa có giải trình thì không thể chấp nhận.'],
  [/^An explanation not accepted needs a note\.$/, () => 'Không chấp nhận giải trình cần nêu lý do.'],
  [/^An explanation’s file names its request in deadlineKey\.$/, () => 'Tệp giải trình phải chọn yêu cầu giải trình mà nó trả lời.'],
  [/^kind is source, report, completion or explanation\.$/, () => 'Hãy chọn loại tài liệu.'],
  [/^Your agency does not supervise the agency asked\.$/, () => 'Cơ quan của bạn không theo dõi, đôn đốc cơ quan được yêu cầu giải trình.'],
  [/^The file store cannot be reached for the moment; .*$/, () => 'Kho lưu trữ tệp tạm thời không truy cập được; chưa có gì được lưu. Vui lòng thử lại sau ít phút.'],
  [/^This file is kept in a file store that is not configured at the moment\.$/, () => 'Tệp này nằm trong kho lưu trữ hiện không được cấu hình.'],
  [/^Unknown attachments\.$/, () => 'Có tệp không thuộc yêu cầu giải trình này.'],
  [/^An attachment is at most \d+ bytes\.$/, () => 'Tệp đính kèm vượt quá dung lượng cho phép.'],
  [/^The file's content is (.+), whatever its name says; .*$/, () => 'Nội dung tệp không phải tài liệu được phép đính kèm (PDF, Word, Excel, OpenDocument, ảnh, ZIP), dù tên tệp ghi gì.'],
  [/^The file is empty\.$/, () => 'Tệp rỗng.'],
  [/^You may not attach an? \w+ document to this directive\.$/, () => 'Bạn không được đính kèm loại tài liệu này cho nhiệm vụ này.'],
  [/^Send the file as multipart\/form-data, in a field named "file"\.$/, () => 'Hãy chọn một tệp để đính kèm.'],
  [/^An agency cannot be its own successor\.$/, () => 'Một cơ quan không thể tiếp nhận chính nó.'],
  [/^A directive named is not an open directive of this agency\.$/, () => 'Có nhiệm vụ được chọn không phải nhiệm vụ đang thực hiện của cơ quan này.'],
  [/^A user named does not belong to this agency\.$/, () => 'Có người dùng được chọn không thuộc cơ quan này.'],
  [/^Unknown agency\.$/, () => 'Không có cơ quan này.'],
  [/^A transfer names its reorganisation\.$/, () => 'Việc chuyển giao phải nêu đợt sắp xếp tổ chức.'],
  [/^A transfer moves work from one agency to another\.$/, () => 'Việc chuyển giao phải từ một cơ quan sang một cơ quan khác.'],
  [/^A transfer needs a reason\.$/, () => 'Việc chuyển giao cần nêu lý do.'],
  [/^A re-plan names its calendar change\.$/, () => 'Việc lập lại kế hoạch phải nêu điều chỉnh lịch.'],
  [/^A re-plan says what changed in the calendar\.$/, () => 'Việc lập lại kế hoạch phải nêu lịch đã thay đổi thế nào.'],
  [/^No extension request "(.+)"\.$/, (m) => `Không có đề nghị gia hạn "${m[1]}".`],
  [/^This extension request has already been decided\.$/, () => 'Đề nghị gia hạn này đã được quyết định.'],
  [/^A completion report needs a summary\.$/, () => 'Báo cáo hoàn thành cần có nội dung.'],
  [/^No completion is awaiting review\.$/, () => 'Không có báo cáo hoàn thành nào chờ xác nhận.'],
  [/^A rejected completion needs the reviewer’s note\.$/, () => 'Trả lại báo cáo hoàn thành cần nêu lý do.'],
  [/^A directive needs exactly one lead agency\.$/, () => 'Mỗi nhiệm vụ có đúng một cơ quan chủ trì.'],
  [/^The lead agency cannot also coordinate\.$/, () => 'Cơ quan chủ trì không đồng thời là cơ quan phối hợp.'],
  [/^A reassignment needs a reason\.$/, () => 'Giao lại nhiệm vụ cần nêu lý do.'],
  [/^A cancellation needs a reason\.$/, () => 'Hủy nhiệm vụ cần nêu lý do.'],
  [/^Only (.+) may (.+)\.$/, (m) => `Chỉ ${roles(m[1]!)} được làm việc này.`],
  [/^This action needs one of the roles: (.+)\.$/, (m) => `Việc này cần vai trò: ${roles(m[1]!)}.`],
  [/^The directive is (\w+); nothing more can be done\.$/, (m) => `Nhiệm vụ đã ${STATUS_VI[m[1]!] ?? m[1]}; không thể làm thêm việc gì.`],
  [/^The directive is closed; nothing more can be done\.$/, () => 'Nhiệm vụ đã kết thúc; không thể làm thêm việc gì.'],
  [/^Your agency does not supervise the lead agency of this directive\.$/, () => 'Cơ quan của bạn không theo dõi, đôn đốc cơ quan chủ trì nhiệm vụ này.'],
  [/^No such escalation on this directive\.$/, () => 'Nhiệm vụ không có lần chuyển cấp này.'],
  [/^The escalation was already resolved \((.+)\)\.$/, (m) => `Lần chuyển cấp này đã được xử lý (${m[1]}).`],
  [/^The directive's workflow did not answer in time; nothing was lost\./, () => 'Tiến trình của nhiệm vụ chưa trả lời kịp; không có gì bị mất. Vui lòng gửi lại.'],
  [/^The deadline has already passed$/, () => 'Hạn đã qua.'],
  [/^A deadline may lie at most (\S+) years ahead\.?$/, (m) => `Hạn không được quá ${m[1]} năm kể từ hôm nay.`],
  [/^The deadline is not a date\.$/, () => 'Hạn không phải là một ngày hợp lệ.'],
  [/^A deadline cannot lie before the directive was issued\.?$/, () => 'Hạn không được trước ngày giao nhiệm vụ.'],
  [/^No agency with id or code "(.*)"$/, (m) => (m[1] ? `Không có cơ quan mã "${m[1]}".` : 'Chưa chọn cơ quan chủ trì.')],
  [/^Some directives cannot be issued as given\.$/, () => 'Một số nhiệm vụ chưa thể giao như đã nhập.'],
  [/^The directive cannot be issued as given\.$/, () => 'Nhiệm vụ chưa thể giao như đã nhập.'],
  [/^Unknown agencies: (.+)\.$/, (m) => `Không có cơ quan: ${m[1]}.`],
  [/^An agency with code (.+) already exists\.$/, (m) => `Đã có cơ quan mã ${m[1]}.`],
  [/^Another user has this email address\.$/, () => 'Địa chỉ thư điện tử này đã có người dùng khác.'],
  [/^A password has at least (\d+) characters\.$/, (m) => `Mật khẩu cần ít nhất ${m[1]} ký tự.`],
  [/^An agency cannot supervise or contain itself, directly or up the chain\.$/, () => 'Một cơ quan không thể theo dõi hay trực thuộc chính nó, trực tiếp hay qua cấp trên.'],
  [/^"(.*)" is not a period: .+$/, (m) => `"${m[1]}" không phải là một kỳ báo cáo: ghi 2026-Q3, 2026-6M, 2026-9M, 2026 hoặc 2026-01-01..2026-03-31.`],
  [/^"(.*)" is not a period\.$/, (m) => `"${m[1]}" không phải là một kỳ báo cáo.`],
  [/^The period (.+) has not begun yet\.$/, (m) => `Kỳ ${m[1]} chưa bắt đầu.`],
  [/^asOf must be an instant within the period (.+)\.$/, (m) => `Thời điểm tính phải nằm trong kỳ ${m[1]}.`],
  [/^asOf cannot be in the future\.$/, () => 'Thời điểm tính không thể ở tương lai.'],
  [/^The period (.+) ends at 24:00 on (\d{4})-(\d{2})-(\d{2}); .+$/, (m) => `Kỳ ${m[1]} kết thúc lúc 24:00 ngày ${m[4]}/${m[3]}/${m[2]}; chỉ công bố được kết quả sau thời điểm đó.`],
  [/^The result of (.+) is already published\.$/, (m) => `Kết quả kỳ ${m[1]} đã được công bố.`],
  [/^Points are numbers from 0 to 1000\.$/, () => 'Điểm là số từ 0 đến 1000.'],
  [/^At least one category must earn points\.$/, () => 'Cần ít nhất một nhóm kết quả được tính điểm.'],
  [/^The lead weight is above 0, .+$/, () => 'Hệ số chủ trì lớn hơn 0, hệ số phối hợp từ 0; cả hai không quá 10.'],
  [/^Band thresholds satisfy .+$/, () => 'Ngưỡng xếp loại phải thỏa 0 ≤ vàng ≤ xanh ≤ 100.'],
];

/** A reason as the person reads it: in Vietnamese when the page is, when the reason is known. */
export function reasonIn(language: Language, reason: string): string {
  if (language !== 'vi') return reason;
  for (const [pattern, say] of VI) {
    const m = pattern.exec(reason);
    if (m) return say(m);
  }
  return reason;
}
