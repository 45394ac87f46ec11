/** English for recording where a missing parcel went (staff alerts, ADR 0041). */
export const EN_MISSING: Record<string, string> = {
  已登记丢失: 'Recorded lost',
  登记去向: 'Record outcome',
  已登记包裹去向: 'Outcome recorded',
  '登记包裹去向：{{n}} 号格口': 'Where did the parcel go? Compartment {{n}}',
  登记并解决: 'Record and resolve',
  '格口关门时检测为空，但系统中仍有待取包裹。请到柜前核实后登记：':
    'The compartment was shut empty, but parcels are still stored in it. Check at the locker, then record what you found:',
  核实结果: 'What you found',
  请选择核实结果: 'Choose what you found',
  在柜内找到: 'Found inside',
  '包裹仍在格口中，继续待取件，取件码不变':
    'still in the compartment: it keeps waiting for pickup, with the same code',
  已当面交给收件人: 'Handed to the recipient',
  '记为已取件（由你经手），格口释放': 'recorded as picked up, by you; the compartment is freed',
  '未找到，登记丢失': 'Not found: record it lost',
  '包裹记为丢失，格口释放，短信告知收件人':
    'recorded lost; the compartment is freed and the recipient gets an SMS',
  '说明（记入包裹记录，请勿填写姓名或电话）':
    "Note (kept in the parcel's history; no names or phone numbers)",
  请填写核实情况: 'Describe what you checked',
  '例如：柜内与服务站均未找到，已联系派件快递员':
    'e.g. not in the locker nor at the hall; the delivering courier was contacted',
};
