/** Alert kind → label and plain description (Chinese keys; i18n translates them). */

/** Alert kind → label. */
export const ALERT_KIND: Record<string, string> = {
  door_jammed: '柜门卡住',
  uncommanded_open: '异常开门',
  offline: '柜机离线',
  uv_fault: '消毒故障',
  device_fault: '设备故障',
  keypad_locked: '取件码多次错误',
  takeout_overdue: '外卖超时未取',
  parcel_missing: '格口空但包裹未取',
};

/** What happened, in words staff read at a glance (the server's own message stays as a tooltip). */
export const ALERT_DESC: Record<string, string> = {
  door_jammed: '收到开门指令但柜门未弹开',
  uncommanded_open: '没有开门指令时柜门被打开',
  offline: '柜机长时间离线',
  uv_fault: '消毒灯未能完成消毒',
  device_fault: '设备报告故障',
  keypad_locked: '取件码多次输错，键盘暂时锁定',
  takeout_overdue: '外卖超时未取',
  parcel_missing: '无人取件时格口关门为空，请核实包裹去向',
};
