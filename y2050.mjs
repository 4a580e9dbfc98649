import { req, show } from './lib.mjs';
let r = await req('POST','/v1/accounts',{email:'y2050@qa.example',name:'x',product:'ebook5'}); const a=r.json.id;
for (const pm of ['invoice','card','bank-transfer']) {
 r = await req('POST','/v1/orders/preview',{accountId:a,type:'new-contract',planId:'business-10',term:'P12M',startDate:'2050-11-29',paymentMethod:pm}); show('preview '+pm, r); if (r.json?.dueOn) console.log(r.json.dueOn);
}
r = await req('POST','/v1/accounts',{email:'y2050b@qa.example',name:'x',product:'ebook5'}); const b=r.json.id;
r = await req('POST','/v1/orders',{accountId:b,type:'new-contract',planId:'business-5',term:'P1M',startDate:'2050-11-01',paymentMethod:'card'}); show('nc ebook P1M from 11-01 (past)', r);
r = await req('POST','/v1/orders',{accountId:b,type:'new-contract',planId:'business-5',term:'P1M',startDate:'2050-11-29',paymentMethod:'card'}); show('nc ebook P1M', r);
r = await req('POST','/v1/clock',{now:'2050-11-30T23:00:00+09:00'}); show('clock to 11-30', r);
r = await req('GET','/v1/effects?status=failed'); show('failed effects', r);
